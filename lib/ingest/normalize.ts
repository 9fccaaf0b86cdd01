import {
  DECISION_ANNOTATION,
  isJsonObject,
  NODE_NAME_EXTRA,
  POD_NAME_EXTRA,
  POD_UID_EXTRA,
  REASON_ANNOTATION,
  type K8sAuditEvent,
} from './schemas';
import { isRequestStage, REQUEST_STAGES, STAGE_TIME_FIELDS } from '../events/request-stages';
import { reasonFieldsOf } from '../rbac/parse-authorization-reason';
import type { RecordOutcome } from './types';

export type NormalizeOptions = {
  /** The cluster the record names, or null: the batch's cluster applies. */
  cluster: string | null;
  original: unknown;
  originalText?: string;
  /** Used when the event has neither requestReceivedTimestamp nor stageTimestamp (ECS @timestamp). */
  fallbackTime?: string | null;
};

// String.prototype.isWellFormed / toWellFormed are ES2024 (Node 20+); the project's lib is ES2023.
type Es2024String = string & { isWellFormed(): boolean; toWellFormed(): string };

/** U+0000 becomes U+FFFD (PostgreSQL text and jsonb reject it) and lone surrogates become U+FFFD. */
export function sanitizeText(value: string): string {
  const text = (value.includes('\0') ? value.replaceAll('\0', '\uFFFD') : value) as Es2024String;
  return text.isWellFormed() ? text : text.toWellFormed();
}

/** An optional string field: empty means absent (Go's omitempty and some pipelines disagree on ""). */
export function sanitizeOptionalText(value: string | null | undefined): string | null {
  return value === null || value === undefined || value === '' ? null : sanitizeText(value);
}

export function sanitizeTextList(values: readonly string[] | null | undefined): string[] {
  return values === null || values === undefined ? [] : values.map(sanitizeText);
}

// The JSON escapes that decode to what PostgreSQL jsonb refuses: \u0000 and surrogate halves.
const UNSAFE_JSON_ESCAPE = /\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})/;

/**
 * Makes the stored original safe for jsonb. The text is only re-serialized when it holds an unsafe escape
 * (surrogate pairs trip the check too and come back unchanged), so the usual cost is one substring search.
 */
export function sanitizeOriginal(
  original: unknown,
  originalText?: string,
): { original: unknown; originalText?: string } {
  if (originalText === undefined) return { original: sanitizeJsonValue(original) };
  if (!originalText.includes('\\u') || !UNSAFE_JSON_ESCAPE.test(originalText)) return { original, originalText };
  const clean = sanitizeJsonValue(original);
  return { original: clean, originalText: JSON.stringify(clean) };
}

/** Copy-on-write: returns the same reference when nothing needed replacing. */
export function sanitizeJsonValue(value: unknown): unknown {
  if (typeof value === 'string') return sanitizeText(value);
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      const clean = sanitizeJsonValue(item);
      if (clean !== item) {
        copy ??= value.slice();
        copy[index] = clean;
      }
    }
    return copy ?? value;
  }
  if (isJsonObject(value)) {
    let copy: Record<string, unknown> | null = null;
    for (const key of Object.keys(value)) {
      const item = value[key];
      const clean = sanitizeJsonValue(item);
      const cleanKey = sanitizeText(key);
      if (clean !== item || cleanKey !== key) {
        copy ??= { ...value };
        if (cleanKey !== key) delete copy[key];
        // defineProperty, not assignment: a "__proto__" key from JSON must stay an own property.
        Object.defineProperty(copy, cleanKey, { value: clean, enumerable: true, writable: true, configurable: true });
      }
    }
    return copy ?? value;
  }
  return value;
}

export function rejectRecord(reason: string): RecordOutcome {
  return { kind: 'rejected', reason };
}

/** A record a parser claimed only to say it is not one of its format's. */
export function rejectForeignRecord(reason: string): RecordOutcome {
  return { kind: 'rejected', reason, notOfFormat: true };
}

export function skipRecord(reason: string): RecordOutcome {
  return { kind: 'skipped', reason };
}

/** A short, safe rendering of a value for a reason: `0`, `"v1"`, `array`, `object`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'array';
  if (value === null || typeof value !== 'object') {
    const json = JSON.stringify(value) ?? String(value);
    return sanitizeText(json.length > 60 ? `${json.slice(0, 57)}…` : json);
  }
  return 'object';
}

export type TimeReading = { ok: true; time: string | null } | { ok: false; reason: string };

// RFC 3339 with a zone (Kubernetes, Cloud Logging and ECS all emit one). A zoneless time is rejected rather
// than guessed: detection windows run on event time. Any fraction length is kept; PostgreSQL rounds to µs.
const EVENT_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})$/;
// Go's zero time.Time, what an unset timestamp serializes to (Defend for Containers' sample shows it).
const GO_ZERO_TIME = /^0001-01-01[Tt ]00:00:00(?:\.0+)?(?:[Zz]|\+00:?00)$/;

/** Validates a time field; the string is kept as given (full precision). Absent or Go zero time → null. */
export function readEventTime(value: string | null | undefined, field: string): TimeReading {
  if (value === null || value === undefined || value === '') return { ok: true, time: null };
  if (!EVENT_TIME.test(value) || Number.isNaN(Date.parse(value)) || !hasRealDayAndHour(value)) {
    return { ok: false, reason: `${field}: not an ISO-8601 time with a timezone (${describeValue(value)})` };
  }
  if (value.startsWith('0001-01-01') && GO_ZERO_TIME.test(value)) return { ok: true, time: null };
  return { ok: true, time: value };
}

// Date.parse rolls "02-30" over to March and accepts hour 24; PostgreSQL rejects both.
function hasRealDayAndHour(value: string): boolean {
  const hour = readTwoDigits(value, 11);
  const day = readTwoDigits(value, 8);
  if (hour > 23 || day < 1) return false;
  if (day <= 28) return true;
  const month = readTwoDigits(value, 5);
  if (month !== 2) return day <= (month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31);
  const year = Number(value.slice(0, 4));
  return day <= (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28);
}

function readTwoDigits(value: string, index: number): number {
  return (value.charCodeAt(index) - 48) * 10 + value.charCodeAt(index + 1) - 48;
}

const NO_STAGE_TIMES = { receivedAt: null, startedAt: null, completedAt: null, panickedAt: null };

export function normalizeAuditEvent(event: K8sAuditEvent, options: NormalizeOptions): RecordOutcome {
  if (!isRequestStage(event.stage))
    return rejectRecord(`stage: expected one of ${REQUEST_STAGES.join(', ')} (got ${describeValue(event.stage)})`);
  const received = readEventTime(event.requestReceivedTimestamp, 'requestReceivedTimestamp');
  if (!received.ok) return rejectRecord(received.reason);
  const staged = readEventTime(event.stageTimestamp, 'stageTimestamp');
  if (!staged.ok) return rejectRecord(staged.reason);
  // audit.k8s.io v1alpha1 (Kubernetes 1.7) has neither, only each stage's `timestamp`.
  const legacy = readEventTime(event.timestamp, 'timestamp');
  if (!legacy.ok) return rejectRecord(legacy.reason);
  let time = received.time ?? staged.time ?? legacy.time;
  if (time === null) {
    const fallback = readEventTime(options.fallbackTime, '@timestamp');
    if (!fallback.ok) return rejectRecord(fallback.reason);
    time = fallback.time;
  }
  if (time === null)
    return rejectRecord('no event time: requestReceivedTimestamp, stageTimestamp and timestamp are missing');

  const user = event.user;
  const extra = user?.extra;
  const objectRef = event.objectRef;
  const annotations = event.annotations;
  const sourceIps = sanitizeTextList(event.sourceIPs);
  const reason = sanitizeOptionalText(annotations?.[REASON_ANNOTATION]);
  const { original, originalText } = sanitizeOriginal(options.original, options.originalText);
  return {
    kind: 'audit',
    event: {
      cluster: sanitizeOptionalText(options.cluster),
      auditId: sanitizeText(event.auditID),
      time,
      ...NO_STAGE_TIMES,
      [STAGE_TIME_FIELDS[event.stage]]: staged.time ?? legacy.time ?? time,
      level: sanitizeOptionalText(event.level),
      verb: sanitizeText(event.verb),
      username: sanitizeOptionalText(user?.username),
      userUid: sanitizeOptionalText(user?.uid),
      groups: sanitizeTextList(user?.groups),
      userAgent: sanitizeOptionalText(event.userAgent),
      sourceIps,
      sourceIp: sourceIps.at(-1) ?? null,
      resource: sanitizeOptionalText(objectRef?.resource),
      subresource: sanitizeOptionalText(objectRef?.subresource),
      namespace: sanitizeOptionalText(objectRef?.namespace),
      name: sanitizeOptionalText(objectRef?.name),
      apiGroup: sanitizeOptionalText(objectRef?.apiGroup),
      apiVersion: sanitizeOptionalText(objectRef?.apiVersion),
      requestUri: sanitizeOptionalText(event.requestURI),
      responseCode: event.responseStatus?.code ?? null,
      decision: sanitizeOptionalText(annotations?.[DECISION_ANNOTATION]),
      reason,
      ...reasonFieldsOf(reason),
      podName: sanitizeOptionalText(extra?.[POD_NAME_EXTRA]?.[0]),
      podUid: sanitizeOptionalText(extra?.[POD_UID_EXTRA]?.[0]),
      nodeName: sanitizeOptionalText(extra?.[NODE_NAME_EXTRA]?.[0]),
      impersonatedUser: sanitizeOptionalText(event.impersonatedUser?.username),
      original,
      ...(originalText === undefined ? {} : { originalText }),
    },
  };
}
