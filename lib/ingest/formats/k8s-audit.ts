import { describeValue, normalizeAuditEvent, rejectForeignRecord, rejectRecord, skipRecord } from '../normalize';
import { isJsonObject, k8sAuditEventSchema, type JsonObject } from '../schemas';
import { formatFirstIssue } from '../../format-first-issue';
import type { FormatParser, RecordOutcome } from '../types';

const REQUIRED_FIELDS = ['auditID', 'stage', 'verb'] as const;

function isAuditApiVersion(value: unknown): boolean {
  return typeof value === 'string' && value.startsWith('audit.k8s.io/');
}

/** Claims what was meant as an audit event, including malformed ones (`{"kind": 0}`), so they get a reason. */
export function looksLikeAuditDocument(value: unknown): value is JsonObject {
  return (
    isJsonObject(value) &&
    (value.kind !== undefined || value.auditID !== undefined || isAuditApiVersion(value.apiVersion))
  );
}

/**
 * One native Event or an EventList (each item). `originalText` is the exact text of `document` when the
 * caller has it; EventList items have none of their own.
 */
export function parseAuditDocument(
  document: unknown,
  options: { cluster: string | null; originalText?: string },
): RecordOutcome[] {
  if (isJsonObject(document) && document.kind === 'EventList') {
    const items = document.items;
    if (!Array.isArray(items))
      return [rejectRecord(`EventList items: expected array, received ${describeValue(items)}`)];
    if (items.length === 0) return [skipRecord('EventList with no items')];
    return items.map((item) => parseAuditEvent(item, { cluster: options.cluster }));
  }
  return [parseAuditEvent(document, options)];
}

function parseAuditEvent(value: unknown, options: { cluster: string | null; originalText?: string }): RecordOutcome {
  if (!isJsonObject(value)) return rejectForeignRecord(`not a Kubernetes audit event (${describeValue(value)})`);
  const notAudit = describeNonAuditEvent(value);
  if (notAudit !== null) return rejectForeignRecord(`not a Kubernetes audit event (${notAudit})`);
  const parsed = k8sAuditEventSchema.safeParse(value);
  if (!parsed.success) return rejectRecord(formatFirstIssue(parsed.error));
  return normalizeAuditEvent(parsed.data, {
    cluster: options.cluster,
    original: value,
    originalText: options.originalText,
  });
}

function describeNonAuditEvent(value: JsonObject): string | null {
  if (value.kind !== undefined && value.kind !== 'Event') {
    return `kind: expected "Event" or "EventList", received ${describeValue(value.kind)}`;
  }
  if (value.apiVersion !== undefined && !isAuditApiVersion(value.apiVersion)) {
    const hint = value.apiVersion === 'v1' ? ': a core/v1 Event such as `kubectl get events` prints' : '';
    return `apiVersion: expected audit.k8s.io/*, received ${describeValue(value.apiVersion)}${hint}`;
  }
  const missing = REQUIRED_FIELDS.filter((field) => value[field] === undefined || value[field] === null);
  return missing.length === 0 ? null : `missing ${missing.join(', ')}`;
}

export const k8sAuditParser: FormatParser = {
  format: 'k8s-audit',
  matches: (record) => looksLikeAuditDocument(record),
  parse: (record, context) => parseAuditDocument(record, { cluster: null, originalText: context.text }),
};
