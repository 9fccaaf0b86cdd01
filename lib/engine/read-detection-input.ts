// What the rules read: candidates by their SQL prefilters (on indexes), for a time range or for one
// group's history.
import type pg from 'pg';
import { auditEvents, DETECTION_AUDIT_FIELDS } from '../events/audit-event-columns';
import { DETECTION_FILE_FIELDS, fileEvents } from '../events/file-event-columns';
import type {
  AnyRuleDefinition,
  DetectionAuditEvent,
  DetectionFileEvent,
  GroupFields,
  SequenceRule,
} from '../detections/types';

/** The SELECT list of what the rules read of an audit event, and its row mapping (the allowlist tests read the same). */
export const DETECTION_AUDIT_COLUMNS = auditEvents.select(DETECTION_AUDIT_FIELDS);

export function toDetectionEvent(row: Record<string, unknown>): DetectionAuditEvent {
  return auditEvents.read(row, DETECTION_AUDIT_FIELDS);
}

export type TimeRange = { from: Date; to: Date };

/** A rule's audit candidates in [from, to), in one cluster or all, in time order. */
export async function readAuditCandidates(
  client: pg.Pool | pg.ClientBase,
  rule: AnyRuleDefinition,
  range: TimeRange & { cluster?: string; pods?: string[] },
): Promise<DetectionAuditEvent[]> {
  const params: unknown[] = [range.from, range.to];
  const filters = [`e.time >= $1`, `e.time < $2`, `(${rule.prefilter.sql})`];
  if (range.cluster !== undefined) filters.push(`e.cluster = $${params.push(range.cluster)}`);
  if (range.pods !== undefined) filters.push(`e.pod_name = ANY($${params.push(range.pods)})`);
  const result = await client.query(
    `SELECT ${DETECTION_AUDIT_COLUMNS} FROM audit_events e WHERE ${filters.join(' AND ')} ORDER BY e.time, e.id`,
    params,
  );
  return result.rows.map(toDetectionEvent);
}

/** One group's candidates in [from, to) (from null: since its first), in time order. */
export async function readGroupEvents(
  client: pg.Pool | pg.ClientBase,
  rule: AnyRuleDefinition,
  group: GroupFields,
  from: Date | null,
  to: Date,
): Promise<DetectionAuditEvent[]> {
  const params: unknown[] = [to];
  const filters = [`e.time < $1`, `(${rule.prefilter.sql})`];
  if (from !== null) filters.push(`e.time >= $${params.push(from)}`);
  for (const [field, value] of Object.entries(group) as [keyof GroupFields, string | null][]) {
    const column = `e.${auditEvents.columns[field].column}`;
    // `=` rather than IS NOT DISTINCT FROM, which no index serves.
    filters.push(value === null ? `${column} IS NULL` : `${column} = $${params.push(value)}`);
  }
  const result = await client.query(
    `SELECT ${DETECTION_AUDIT_COLUMNS} FROM audit_events e WHERE ${filters.join(' AND ')} ORDER BY e.time, e.id`,
    params,
  );
  return result.rows.map(toDetectionEvent);
}

/** A sequence rule's file candidates in [from, to), every cluster, in time order. */
export async function readFileCandidates(
  client: pg.Pool | pg.ClientBase,
  rule: SequenceRule<Record<string, number>>,
  range: TimeRange,
): Promise<DetectionFileEvent[]> {
  const result = await client.query(
    `SELECT ${fileEvents.select(DETECTION_FILE_FIELDS)} FROM file_events f
      WHERE f.time >= $1 AND f.time < $2 AND (${rule.filePrefilter.sql}) ORDER BY f.time, f.id`,
    [range.from, range.to],
  );
  return result.rows.map((row): DetectionFileEvent => fileEvents.read(row, DETECTION_FILE_FIELDS));
}
