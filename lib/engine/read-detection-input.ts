// What one rule reads for a range: candidates by its SQL prefilters (on indexes), and the alert
// windows it already persisted there.
import type pg from 'pg';
import { listAlertWindows } from '../alerts/list-alert-windows';
import { matchFileEvents, widenRange, type RuleInput } from '../detections/evaluate-rule';
import type { AnyRuleDefinition, DetectionAuditEvent, DetectionFileEvent } from '../detections/types';
import { auditEvents, DETECTION_AUDIT_FIELDS } from '../events/audit-event-columns';
import { DETECTION_FILE_FIELDS, fileEvents } from '../events/file-event-columns';

/** The SELECT list of what the rules read of an audit event, and its row mapping (the allowlist tests read the same). */
export const DETECTION_AUDIT_COLUMNS = auditEvents.select(DETECTION_AUDIT_FIELDS);

export function toDetectionEvent(row: Record<string, unknown>): DetectionAuditEvent {
  return auditEvents.read(row, DETECTION_AUDIT_FIELDS);
}

async function readFileCandidates(client: pg.ClientBase, rule: AnyRuleDefinition, from: Date, to: Date) {
  if (!rule.filePrefilter) return [];
  const result = await client.query(
    `SELECT ${fileEvents.select(DETECTION_FILE_FIELDS)} FROM file_events f
      WHERE f.time >= $1 AND f.time < $2 AND (${rule.filePrefilter.sql}) ORDER BY f.time, f.id`,
    [from, to],
  );
  return result.rows.map((row): DetectionFileEvent => fileEvents.read(row, DETECTION_FILE_FIELDS));
}

async function readAuditCandidates(
  client: pg.ClientBase,
  rule: AnyRuleDefinition,
  from: Date,
  to: Date,
  pods: string[] | null,
) {
  // A sequence rule only needs the audit events of pods its file events name.
  const podFilter = pods === null ? '' : 'AND e.pod_name = ANY($3)';
  const result = await client.query(
    `SELECT ${DETECTION_AUDIT_COLUMNS} FROM audit_events e
      WHERE e.time >= $1 AND e.time < $2 AND (${rule.prefilter.sql}) ${podFilter} ORDER BY e.time, e.id`,
    pods === null ? [from, to] : [from, to, pods],
  );
  return result.rows.map(toDetectionEvent);
}

export async function readDetectionInput(
  client: pg.ClientBase,
  rule: AnyRuleDefinition,
  params: Record<string, number>,
  range: { from: Date; to: Date },
): Promise<RuleInput> {
  const { from, to } = widenRange(rule, params, range);
  const files = matchFileEvents(rule, params, await readFileCandidates(client, rule, from, to));
  const pods = rule.filePrefilter
    ? [...new Set(files.map((event) => event.podName).filter((pod): pod is string => pod !== null))]
    : null;
  const audit = pods !== null && pods.length === 0 ? [] : await readAuditCandidates(client, rule, from, to, pods);
  return { auditEvents: audit, fileEvents: files, priorWindows: await listAlertWindows(client, rule.id, from, to) };
}
