// What the detection engine hands the alerts module: one alert a rule raised. Upserted by its
// deterministic identity, its evidence linked, its history written through triage's own helper.
import type pg from 'pg';
import { auditEvents } from '../events/audit-event-columns';
import { fileEvents } from '../events/file-event-columns';
import type { Severity } from '../vocabulary/severity';
import { insertActivity, type TriageActor } from './change-alerts';

/** One alert a rule would raise; upserted by `identity`. */
export type DetectedAlert = {
  ruleId: string;
  /** Stable and readable: the JSON of the grouping fields. */
  groupKey: string;
  windowStart: Date;
  windowEnd: Date;
  /** sha256 of ruleId, groupKey and windowStart (ISO): re-runs and late events update, never duplicate. */
  identity: string;
  severity: Severity;
  riskScore: number;
  firstEventAt: Date;
  lastEventAt: Date;
  auditEventIds: string[];
  /** Each evidence event's time, in the order of the ids: where its partition is. */
  auditEventTimes: Date[];
  fileEventIds: string[];
  fileEventTimes: Date[];
  username: string | null;
  /** The last (trusted) source IP of the first evidence event. */
  sourceIp: string | null;
  /** Every source IP seen in the evidence, forgeable ones included. */
  sourceIps: string[];
  userAgent: string | null;
  podName: string | null;
  namespaces: string[];
  secretNames: string[];
  /** Authorization decisions seen: allow, forbid. */
  outcomes: string[];
  responseCodes: number[];
  cluster: string;
  details: Record<string, unknown>;
};

export type RecordedAlert = { id: string; status: 'created' | 'updated' | 'unchanged' };

const DETECTION_ENGINE: TriageActor = { id: null, name: 'system' };

const EVIDENCE_AUDIT_FIELDS = Object.keys(auditEvents.columns) as (keyof typeof auditEvents.columns)[];
const EVIDENCE_FILE_FIELDS = Object.keys(fileEvents.columns) as (keyof typeof fileEvents.columns)[];

const UPSERT_ALERT = `
  INSERT INTO alerts (id, rule_id, identity, group_key, window_start, window_end, severity, risk_score,
    first_event_at, last_event_at, event_count, cluster, username, source_ip, source_ips, user_agent, pod_name,
    namespaces, secret_names, outcomes, response_codes, details, updated_at)
  VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6::"Severity", $7, $8, $9, 0, $10, $11, $12, $13, $14, $15,
    $16, $17, $18, $19, $20, now())
  ON CONFLICT (identity) DO UPDATE SET
    window_end = GREATEST(alerts.window_end, EXCLUDED.window_end),
    severity = GREATEST(alerts.severity, EXCLUDED.severity),
    risk_score = GREATEST(alerts.risk_score, EXCLUDED.risk_score),
    first_event_at = LEAST(alerts.first_event_at, EXCLUDED.first_event_at),
    last_event_at = GREATEST(alerts.last_event_at, EXCLUDED.last_event_at),
    source_ips = ARRAY(SELECT DISTINCT unnest(alerts.source_ips || EXCLUDED.source_ips) ORDER BY 1),
    namespaces = ARRAY(SELECT DISTINCT unnest(alerts.namespaces || EXCLUDED.namespaces) ORDER BY 1),
    secret_names = ARRAY(SELECT DISTINCT unnest(alerts.secret_names || EXCLUDED.secret_names) ORDER BY 1),
    outcomes = ARRAY(SELECT DISTINCT unnest(alerts.outcomes || EXCLUDED.outcomes) ORDER BY 1),
    response_codes = ARRAY(SELECT DISTINCT unnest(alerts.response_codes || EXCLUDED.response_codes) ORDER BY 1),
    details = EXCLUDED.details
  RETURNING id, (xmax = 0) AS inserted, status`;

// Evidence outlives the partitions its events are dropped with (retention): each event an alert links is
// copied once, and the migration's triggers keep the copy in step when a later stage completes its row.
const COPY_AUDIT_EVIDENCE = `
  INSERT INTO evidence_audit_events (${auditEvents.columnList(EVIDENCE_AUDIT_FIELDS)}, originals)
  SELECT ${EVIDENCE_AUDIT_FIELDS.map((field) => `e.${auditEvents.columns[field].column}`).join(', ')}, o.originals
    FROM unnest($1::bigint[], $2::timestamptz[]) AS k(id, time)
    JOIN audit_events e ON e.id = k.id AND e.time >= k.time AND e.time < k.time + interval '1 millisecond'
    LEFT JOIN audit_event_originals o ON o.event_id = e.id AND o.time = e.time
   WHERE NOT EXISTS (SELECT 1 FROM evidence_audit_events v WHERE v.id = k.id)
  ON CONFLICT (id) DO NOTHING`;

const COPY_FILE_EVIDENCE = `
  INSERT INTO evidence_file_events (${fileEvents.columnList(EVIDENCE_FILE_FIELDS)})
  SELECT ${EVIDENCE_FILE_FIELDS.map((field) => `f.${fileEvents.columns[field].column}`).join(', ')}
    FROM unnest($1::bigint[], $2::timestamptz[]) AS k(id, time)
    JOIN file_events f ON f.id = k.id AND f.time >= k.time AND f.time < k.time + interval '1 millisecond'
   WHERE NOT EXISTS (SELECT 1 FROM evidence_file_events v WHERE v.id = k.id)
  ON CONFLICT (id) DO NOTHING`;

async function copyEvidence(client: pg.ClientBase, alert: DetectedAlert) {
  if (alert.auditEventIds.length > 0)
    await client.query(COPY_AUDIT_EVIDENCE, [alert.auditEventIds, alert.auditEventTimes]);
  if (alert.fileEventIds.length > 0) await client.query(COPY_FILE_EVIDENCE, [alert.fileEventIds, alert.fileEventTimes]);
}

/** Writes one detected alert inside the caller's transaction: created, updated with new evidence, or unchanged. */
export async function recordDetectedAlert(client: pg.ClientBase, alert: DetectedAlert): Promise<RecordedAlert> {
  const upserted = await client.query<{ id: string; inserted: boolean; status: string }>(UPSERT_ALERT, [
    alert.ruleId,
    alert.identity,
    alert.groupKey,
    alert.windowStart,
    alert.windowEnd,
    alert.severity,
    alert.riskScore,
    alert.firstEventAt,
    alert.lastEventAt,
    alert.cluster,
    alert.username,
    alert.sourceIp,
    alert.sourceIps,
    alert.userAgent,
    alert.podName,
    alert.namespaces,
    alert.secretNames,
    alert.outcomes,
    alert.responseCodes,
    JSON.stringify(alert.details),
  ]);
  const { id, inserted, status } = upserted.rows[0]!;
  await copyEvidence(client, alert);
  const links = await client.query(
    `INSERT INTO alert_events (alert_id, event_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING`,
    [id, alert.auditEventIds],
  );
  const fileLinks = await client.query(
    `INSERT INTO alert_file_events (alert_id, file_event_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING`,
    [id, alert.fileEventIds],
  );
  const added = (links.rowCount ?? 0) + (fileLinks.rowCount ?? 0);
  await client.query(
    `UPDATE alerts SET event_count = (SELECT count(*) FROM alert_events WHERE alert_id = $1)
       + (SELECT count(*) FROM alert_file_events WHERE alert_id = $1) WHERE id = $1`,
    [id],
  );
  if (inserted) {
    const note = `raised by the detection engine with ${added} evidence event(s)`;
    await insertActivity(client, [{ alertId: id, kind: 'created', from: null, to: 'open', note }], DETECTION_ENGINE);
  } else if (added > 0 && status === 'closed') {
    // New evidence never vanishes into a closed alert: it reopens, visibly.
    await client.query(`UPDATE alerts SET status = 'open', close_reason = NULL WHERE id = $1`, [id]);
    const note = `reopened: ${added} new evidence event(s) arrived`;
    await insertActivity(client, [{ alertId: id, kind: 'status', from: 'closed', to: 'open', note }], DETECTION_ENGINE);
  } else if (added > 0) {
    const note = `${added} new evidence event(s)`;
    await insertActivity(client, [{ alertId: id, kind: 'evidence', from: null, to: null, note }], DETECTION_ENGINE);
  }
  return { id, status: inserted ? 'created' : added > 0 ? 'updated' : 'unchanged' };
}
