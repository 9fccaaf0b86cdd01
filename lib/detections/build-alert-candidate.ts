import { createHash } from 'node:crypto';
import type { AlertCandidate, DetectionAuditEvent, DetectionFileEvent, RuleMetadata } from './types';
import { compareEvents } from './windowing';
import type { Severity } from '../vocabulary/severity';

/** The grouping fields as JSON, keys in the order given: stable, unambiguous and readable. */
export function formatGroupKey(fields: Record<string, string | null>): string {
  return JSON.stringify(fields);
}

/** A group key's fields, as formatGroupKey wrote them; a key of any other shape is one field, `key`. */
export function readGroupKeyFields(groupKey: string): { name: string; value: string | null }[] {
  try {
    const parsed: unknown = JSON.parse(groupKey);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      return Object.entries(parsed).map(([name, value]) => ({ name, value: value === null ? null : String(value) }));
  } catch {
    // Not JSON: shown as it is.
  }
  return [{ name: 'key', value: groupKey }];
}

export function computeAlertIdentity(ruleId: string, groupKey: string, windowStart: Date): string {
  return createHash('sha256').update(`${ruleId}\n${groupKey}\n${windowStart.toISOString()}`).digest('hex');
}

export function listDistinct<T>(values: readonly (T | null | undefined)[]): T[] {
  return [...new Set(values.filter((value): value is T => value !== null && value !== undefined && value !== ''))];
}

/** Time order, then id, so equal timestamps still give one order. */
export function sortByTime<T extends { time: Date; id: string }>(events: readonly T[]): T[] {
  return [...events].sort(compareEvents);
}

/** The entity fields every alert carries, from its evidence. */
export function buildAlertCandidate(input: {
  rule: Pick<RuleMetadata, 'id'>;
  groupKey: string;
  windowStart: Date;
  windowEnd: Date;
  severity: Severity;
  riskScore: number;
  events: readonly DetectionAuditEvent[];
  fileEvents?: readonly DetectionFileEvent[];
  details: Record<string, unknown>;
}): AlertCandidate {
  const events = sortByTime(input.events);
  const fileEvents = sortByTime(input.fileEvents ?? []);
  const times = [...events, ...fileEvents].map((event) => event.time.getTime());
  const first = events[0];
  const firstFile = fileEvents[0];
  return {
    ruleId: input.rule.id,
    groupKey: input.groupKey,
    windowStart: input.windowStart,
    windowEnd: input.windowEnd,
    identity: computeAlertIdentity(input.rule.id, input.groupKey, input.windowStart),
    severity: input.severity,
    riskScore: input.riskScore,
    firstEventAt: new Date(Math.min(...times)),
    lastEventAt: new Date(Math.max(...times)),
    auditEventIds: events.map((event) => event.id),
    auditEventTimes: events.map((event) => event.time),
    fileEventIds: fileEvents.map((event) => event.id),
    fileEventTimes: fileEvents.map((event) => event.time),
    username: first?.username ?? null,
    sourceIp: first?.sourceIp ?? null,
    sourceIps: listDistinct(events.flatMap((event) => event.sourceIps)),
    userAgent: first?.userAgent ?? null,
    podName: firstFile?.podName ?? first?.podName ?? null,
    namespaces: listDistinct([firstFile?.namespace, ...events.map((event) => event.namespace)]),
    secretNames: listDistinct(events.filter((event) => event.resource === 'secrets').map((event) => event.name)),
    outcomes: listDistinct(events.map((event) => event.decision)),
    responseCodes: listDistinct(events.map((event) => event.responseCode)).sort((left, right) => left - right),
    cluster: firstFile?.cluster ?? first?.cluster ?? '',
    details: input.details,
  };
}
