// What the detection engine hands the alerts module: the alerts a rule raises over a scope (a group's
// windows opening in a span, or a span of a sequence rule). The stored alerts of that scope become
// exactly these: matched by identity, else continued by the alert holding the same evidence (its
// window moved when events arrived out of order), else created; a stored alert no candidate continues
// is withdrawn, its triage and history kept. Writes nothing when nothing changed; history is written
// through triage's own helper.
import type pg from 'pg';
import { auditEvents } from '../events/audit-event-columns';
import { fileEvents } from '../events/file-event-columns';
import type { Severity } from '../vocabulary/severity';
import { alertEventsFrom, type SeverityChange } from '../notifications/alert-events';
import { enqueueAlertEvents } from '../notifications/route-events-job';
import { insertActivity, type TriageActor } from './change-alerts';

/** One alert a rule would raise; upserted by `identity`. */
export type DetectedAlert = {
  ruleId: string;
  /** Stable and readable: the JSON of the grouping fields. */
  groupKey: string;
  windowStart: Date;
  windowEnd: Date;
  /** sha256 of ruleId, groupKey and windowStart (ISO): re-runs update, never duplicate. */
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

const EVIDENCE_AUDIT_FIELDS = Object.keys(auditEvents.columns) as (keyof typeof auditEvents.columns)[];
const EVIDENCE_FILE_FIELDS = Object.keys(fileEvents.columns) as (keyof typeof fileEvents.columns)[];

// Evidence outlives the partitions its events are dropped with (retention): each event an alert links is
// copied once, and the migration's triggers keep the copy in step when a later stage completes its row.
const COPY_AUDIT_EVIDENCE = `
  INSERT INTO evidence_audit_events (${auditEvents.columnList(EVIDENCE_AUDIT_FIELDS)}, originals)
  SELECT ${EVIDENCE_AUDIT_FIELDS.map((field) => `e.${auditEvents.columns[field].column}`).join(', ')}, o.originals
    FROM unnest($1::bigint[], $2::timestamptz[]) AS k(id, time)
    JOIN audit_events e ON e.id = k.id AND e.time >= k.time AND e.time < k.time + interval '1 millisecond'
    LEFT JOIN audit_event_originals o ON o.event_id = e.id AND o.time = e.time AND o.cluster = e.cluster
   WHERE NOT EXISTS (SELECT 1 FROM evidence_audit_events v WHERE v.id = k.id)
  ON CONFLICT (id) DO NOTHING`;

const COPY_FILE_EVIDENCE = `
  INSERT INTO evidence_file_events (${fileEvents.columnList(EVIDENCE_FILE_FIELDS)})
  SELECT ${EVIDENCE_FILE_FIELDS.map((field) => `f.${fileEvents.columns[field].column}`).join(', ')}
    FROM unnest($1::bigint[], $2::timestamptz[]) AS k(id, time)
    JOIN file_events f ON f.id = k.id AND f.time >= k.time AND f.time < k.time + interval '1 millisecond'
   WHERE NOT EXISTS (SELECT 1 FROM evidence_file_events v WHERE v.id = k.id)
  ON CONFLICT (id) DO NOTHING`;

/** Copies stored audit events (by id and exact time) into the evidence that outlives retention, once each. */
export async function copyAuditEvidence(
  client: pg.ClientBase,
  ids: readonly string[],
  times: readonly (Date | string)[],
) {
  if (ids.length > 0) await client.query(COPY_AUDIT_EVIDENCE, [ids, times]);
}

async function copyEvidence(client: pg.ClientBase, alert: DetectedAlert, known: StoredEvidence) {
  const audit = alert.auditEventIds.flatMap((id, index) =>
    known.audit.has(id) ? [] : [[id, alert.auditEventTimes[index]!] as const],
  );
  const file = alert.fileEventIds.flatMap((id, index) =>
    known.file.has(id) ? [] : [[id, alert.fileEventTimes[index]!] as const],
  );
  await copyAuditEvidence(
    client,
    audit.map(([id]) => id),
    audit.map(([, time]) => time),
  );
  if (file.length > 0) await client.query(COPY_FILE_EVIDENCE, [file.map(([id]) => id), file.map(([, time]) => time)]);
}

export type AlertScope = {
  ruleId: string;
  /** One group's alerts; null: every group of the rule. */
  groupKey: string | null;
  /** Alerts whose window opens in [from, until); from null: since the first. */
  from: Date | null;
  until: Date | 'end';
};

export type RecordedAlert = { id: string; status: 'created' | 'updated' | 'unchanged' };

export type ReplacedAlerts = { alerts: (RecordedAlert & { candidate: DetectedAlert })[]; withdrawn: number };

const DETECTION_ENGINE: TriageActor = { id: null, name: 'system' };

type StoredEvidence = { audit: Set<string>; file: Set<string> };

type StoredAlert = {
  id: string;
  identity: string;
  window_start: Date;
  status: string;
  severity: Severity;
  withdrawn: boolean;
  audit_ids: string[];
  file_ids: string[];
};

const STORED_ALERT_COLUMNS = `a.id, a.identity, a.window_start, a.status, a.severity::text AS severity, a.withdrawn_at IS NOT NULL AS withdrawn,
  ARRAY(SELECT ae.event_id::text FROM alert_events ae WHERE ae.alert_id = a.id) AS audit_ids,
  ARRAY(SELECT af.file_event_id::text FROM alert_file_events af WHERE af.alert_id = a.id) AS file_ids`;

function evidenceOf(alert: Pick<StoredAlert, 'audit_ids' | 'file_ids'>): StoredEvidence {
  return { audit: new Set(alert.audit_ids), file: new Set(alert.file_ids) };
}

function sharesEvidence(stored: StoredAlert, candidate: DetectedAlert): boolean {
  const evidence = evidenceOf(stored);
  return (
    candidate.auditEventIds.some((id) => evidence.audit.has(id)) ||
    candidate.fileEventIds.some((id) => evidence.file.has(id))
  );
}

async function readScopedAlerts(client: pg.ClientBase, scope: AlertScope): Promise<StoredAlert[]> {
  const result = await client.query<StoredAlert>(
    `SELECT ${STORED_ALERT_COLUMNS} FROM alerts a
      WHERE a.rule_id = $1 AND ($2::text IS NULL OR a.group_key = $2) AND a.withdrawn_at IS NULL
        AND ($3::timestamptz IS NULL OR a.window_start >= $3) AND ($4::timestamptz IS NULL OR a.window_start < $4)
      ORDER BY a.created_at, a.id`,
    [scope.ruleId, scope.groupKey, scope.from, scope.until === 'end' ? null : scope.until],
  );
  return result.rows;
}

async function readAlertByIdentity(client: pg.ClientBase, identity: string): Promise<StoredAlert | undefined> {
  const result = await client.query<StoredAlert>(`SELECT ${STORED_ALERT_COLUMNS} FROM alerts a WHERE a.identity = $1`, [
    identity,
  ]);
  return result.rows[0];
}

const ALERT_VALUES = `identity, group_key, window_start, window_end, severity, risk_score, first_event_at,
  last_event_at, cluster, username, source_ip, source_ips, user_agent, pod_name, namespaces, secret_names, outcomes,
  response_codes, details`;
const ALERT_PARAMS = `$2, $3, $4, $5, $6::"Severity", $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20::jsonb`;

function alertValues(alert: DetectedAlert): unknown[] {
  return [
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
    [...alert.namespaces].sort(),
    [...alert.secretNames].sort(),
    [...alert.outcomes].sort(),
    alert.responseCodes,
    JSON.stringify(alert.details),
  ];
}

async function insertAlert(client: pg.ClientBase, alert: DetectedAlert): Promise<string> {
  const result = await client.query<{ id: string }>(
    `INSERT INTO alerts (id, rule_id, ${ALERT_VALUES}, event_count, updated_at)
     VALUES (gen_random_uuid(), $1, ${ALERT_PARAMS}, 0, now()) RETURNING id`,
    [alert.ruleId, ...alertValues(alert)],
  );
  return result.rows[0]!.id;
}

/** Sets the alert's fields to the candidate's (and takes it out of withdrawal); false when they already were. */
async function updateAlert(client: pg.ClientBase, id: string, alert: DetectedAlert): Promise<boolean> {
  const result = await client.query(
    `UPDATE alerts SET (${ALERT_VALUES}, withdrawn_at, withdrawn_reason, superseded_by, updated_at)
                     = (${ALERT_PARAMS}, NULL, NULL, NULL, now())
      WHERE id = $1 AND (${ALERT_VALUES}, withdrawn_at) IS DISTINCT FROM (${ALERT_PARAMS}, NULL::timestamptz)`,
    [id, ...alertValues(alert)],
  );
  return (result.rowCount ?? 0) > 0;
}

/** Makes the alert's evidence links exactly the candidate's; how many were added and removed. */
async function replaceEvidence(client: pg.ClientBase, id: string, alert: DetectedAlert, known: StoredEvidence) {
  await copyEvidence(client, alert, known);
  const addedAudit = alert.auditEventIds.filter((event) => !known.audit.has(event));
  const addedFile = alert.fileEventIds.filter((event) => !known.file.has(event));
  const wantedAudit = new Set(alert.auditEventIds);
  const wantedFile = new Set(alert.fileEventIds);
  const removedAudit = [...known.audit].filter((event) => !wantedAudit.has(event));
  const removedFile = [...known.file].filter((event) => !wantedFile.has(event));
  if (addedAudit.length > 0)
    await client.query(
      `INSERT INTO alert_events (alert_id, event_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING`,
      [id, addedAudit],
    );
  if (addedFile.length > 0)
    await client.query(
      `INSERT INTO alert_file_events (alert_id, file_event_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING`,
      [id, addedFile],
    );
  if (removedAudit.length > 0)
    await client.query(`DELETE FROM alert_events WHERE alert_id = $1 AND event_id = ANY($2::bigint[])`, [
      id,
      removedAudit,
    ]);
  if (removedFile.length > 0)
    await client.query(`DELETE FROM alert_file_events WHERE alert_id = $1 AND file_event_id = ANY($2::bigint[])`, [
      id,
      removedFile,
    ]);
  const added = addedAudit.length + addedFile.length;
  const removed = removedAudit.length + removedFile.length;
  if (added + removed > 0)
    await client.query(`UPDATE alerts SET event_count = $2 WHERE id = $1`, [id, wantedAudit.size + wantedFile.size]);
  return { added, removed };
}

type Activity = Parameters<typeof insertActivity>[1][number];

/** Writes one candidate onto a stored alert (or a new one) and says what changed in its history. */
async function writeAlert(client: pg.ClientBase, stored: StoredAlert | undefined, alert: DetectedAlert) {
  if (!stored) {
    const id = await insertAlert(client, alert);
    const { added } = await replaceEvidence(client, id, alert, { audit: new Set(), file: new Set() });
    const note = `raised by the detection engine with ${added} evidence event(s)`;
    return {
      id,
      status: 'created' as const,
      activity: [{ alertId: id, kind: 'created', from: null, to: 'open', note }],
    };
  }
  const { id } = stored;
  const changedFields = await updateAlert(client, id, alert);
  const { added, removed } = await replaceEvidence(client, id, alert, evidenceOf(stored));
  const activity: Activity[] = [];
  if (stored.withdrawn)
    activity.push({
      alertId: id,
      kind: 'withdrawn',
      from: 'withdrawn',
      to: 'raised',
      note: 'raised again: the events and settings raise this window once more',
    });
  if (stored.identity !== alert.identity) {
    const note = `its window now opens at ${alert.windowStart.toISOString()}: events that arrived later fall before or inside it`;
    activity.push({
      alertId: id,
      kind: 'window',
      from: stored.window_start.toISOString(),
      to: alert.windowStart.toISOString(),
      note,
    });
  }
  if (added > 0 && stored.status === 'closed') {
    // New evidence never vanishes into a closed alert: it reopens, visibly.
    await client.query(`UPDATE alerts SET status = 'open', close_reason = NULL WHERE id = $1`, [id]);
    activity.push({
      alertId: id,
      kind: 'status',
      from: 'closed',
      to: 'open',
      note: `reopened: ${added} new evidence event(s) arrived`,
    });
  } else if (added + removed > 0) {
    const parts = [
      added > 0 ? `${added} new evidence event(s)` : '',
      removed > 0 ? `${removed} no longer in its window` : '',
    ];
    activity.push({ alertId: id, kind: 'evidence', from: null, to: null, note: parts.filter(Boolean).join(', ') });
  }
  const changed = changedFields || added + removed > 0;
  const severityChange: SeverityChange | null =
    stored.severity !== alert.severity ? { alertId: id, from: stored.severity, to: alert.severity } : null;
  return { id, status: changed ? ('updated' as const) : ('unchanged' as const), activity, severityChange };
}

/** The alert of the rule that now holds a withdrawn alert's evidence, if any does. */
async function findSuccessor(client: pg.ClientBase, ruleId: string, stored: StoredAlert): Promise<string | null> {
  const result = await client.query<{ id: string }>(
    `SELECT a.id FROM alerts a
      WHERE a.rule_id = $1 AND a.withdrawn_at IS NULL AND a.id <> $2
        AND (EXISTS (SELECT 1 FROM alert_events ae WHERE ae.alert_id = a.id AND ae.event_id = ANY($3::bigint[]))
          OR EXISTS (SELECT 1 FROM alert_file_events af WHERE af.alert_id = a.id AND af.file_event_id = ANY($4::bigint[])))
      ORDER BY a.created_at, a.id LIMIT 1`,
    [ruleId, stored.id, stored.audit_ids, stored.file_ids],
  );
  return result.rows[0]?.id ?? null;
}

async function withdrawAlert(client: pg.ClientBase, ruleId: string, stored: StoredAlert): Promise<Activity> {
  const successor = await findSuccessor(client, ruleId, stored);
  const reason = successor ? 'merged' : 'not-raised';
  await client.query(
    `UPDATE alerts SET withdrawn_at = now(), withdrawn_reason = $2, superseded_by = $3, updated_at = now() WHERE id = $1`,
    [stored.id, reason, successor],
  );
  const note = successor
    ? `withdrawn: its evidence now belongs to alert ${successor} (events arrived out of order or the settings changed)`
    : 'withdrawn: the stored events and current settings (rule parameters, allowlist) no longer raise it';
  return { alertId: stored.id, kind: 'withdrawn', from: 'raised', to: 'withdrawn', note };
}

/**
 * Makes the scope's stored alerts exactly `candidates` (each opening inside the scope), inside the
 * caller's transaction.
 */
export async function replaceDetectedAlerts(
  client: pg.ClientBase,
  scope: AlertScope,
  candidates: readonly DetectedAlert[],
): Promise<ReplacedAlerts> {
  const stored = await readScopedAlerts(client, scope);
  const byIdentity = new Map(stored.map((alert) => [alert.identity, alert]));
  const continued = new Set<string>();
  const activity: Activity[] = [];
  const alerts: ReplacedAlerts['alerts'] = [];
  const severityChanges: SeverityChange[] = [];
  // Exact identities first, so a moved window never takes over an alert that stays where it is.
  const targets = new Map<DetectedAlert, StoredAlert | undefined>();
  for (const candidate of candidates) {
    const exact = byIdentity.get(candidate.identity);
    if (exact) continued.add(exact.id);
    targets.set(candidate, exact);
  }
  for (const candidate of candidates) {
    if (targets.get(candidate)) continue;
    let target = await readAlertByIdentity(client, candidate.identity);
    if (!target) {
      target = stored.find((alert) => !continued.has(alert.id) && sharesEvidence(alert, candidate));
      if (target) continued.add(target.id);
    }
    targets.set(candidate, target);
  }
  for (const [candidate, target] of targets) {
    const written = await writeAlert(client, target, candidate);
    activity.push(...written.activity);
    if ('severityChange' in written && written.severityChange) severityChanges.push(written.severityChange);
    alerts.push({ id: written.id, status: written.status, candidate });
  }
  let withdrawn = 0;
  for (const alert of stored) {
    if (continued.has(alert.id)) continue;
    activity.push(await withdrawAlert(client, scope.ruleId, alert));
    withdrawn++;
  }
  await insertActivity(client, activity, DETECTION_ENGINE);
  await enqueueAlertEvents(client, alertEventsFrom(activity, severityChanges, new Date()));
  return { alerts, withdrawn };
}
