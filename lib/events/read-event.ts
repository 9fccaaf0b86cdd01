// One event for the explorer's detail: its fields, the original document, and what the same
// identity did in the five minutes either side (audit requests and the pod's file activity).
import type pg from 'pg';
import { serviceAccountNamespace } from '../vocabulary/service-account';
import { podRequestsSql } from './pod-requests-sql';
import { formatOriginals } from './stored-originals';
import {
  AUDIT_EVENT_COLUMNS,
  FILE_EVENT_COLUMNS,
  toAuditEventRow,
  toFileEventRow,
  type AuditEventRow,
  type EventRow,
  type FileEventRow,
} from './search-events';
import type { AlertStatus } from '../alerts/schemas';
import type { Severity } from '../vocabulary/severity';
import type { EventKind } from './schemas';

export const AROUND_MS = 5 * 60_000;
const AROUND_LIMIT = 200;

export type EventIdentity = { field: 'user' | 'sourceIp' | 'pod'; value: string; namespace?: string };

export type EventDetail = {
  event: EventRow;
  /** The event as it arrived, pretty-printed. */
  original: string | null;
  identity: EventIdentity | null;
  /** The alerts this event is evidence of (withdrawn ones too: their pages say why), newest first. */
  alerts: EvidenceOfAlert[];
  /** `pod`: whose file events are listed (the requesting pod of an audit event). */
  around: {
    from: string;
    to: string;
    audit: AuditEventRow[];
    file: FileEventRow[];
    pod: { namespace: string; name: string } | null;
  };
};

export type EvidenceOfAlert = {
  id: string;
  ruleName: string;
  severity: Severity;
  status: AlertStatus;
  firstEventAt: string;
  withdrawn: boolean;
};

const EVIDENCE_LIMIT = 50;

async function readEvidenceOf(pool: pg.Pool, kind: EventKind, id: string): Promise<EvidenceOfAlert[]> {
  const link =
    kind === 'audit'
      ? 'alert_events l ON l.alert_id = a.id AND l.event_id'
      : 'alert_file_events l ON l.alert_id = a.id AND l.file_event_id';
  const result = await pool.query<{
    id: string;
    rule_name: string;
    severity: Severity;
    status: AlertStatus;
    first_event_at: Date;
    withdrawn: boolean;
  }>(
    `SELECT a.id, r.name AS rule_name, a.severity, a.status, a.first_event_at, a.withdrawn_at IS NOT NULL AS withdrawn
       FROM alerts a JOIN rules r ON r.id = a.rule_id JOIN ${link} = $1::bigint
      ORDER BY a.first_event_at DESC, a.id LIMIT ${EVIDENCE_LIMIT}`,
    [id],
  );
  return result.rows.map((row) => ({
    id: row.id,
    ruleName: row.rule_name,
    severity: row.severity,
    status: row.status,
    firstEventAt: row.first_event_at.toISOString(),
    withdrawn: row.withdrawn,
  }));
}

/** Who did it: the user, else the source IP; for a file event, its pod. */
function identityOf(event: EventRow): EventIdentity | null {
  if (event.kind === 'audit') {
    if (event.username) return { field: 'user', value: event.username };
    return event.sourceIp ? { field: 'sourceIp', value: event.sourceIp } : null;
  }
  return event.podName ? { field: 'pod', value: event.podName, namespace: event.namespace ?? undefined } : null;
}

/** The pod whose file activity sits next to an audit event: the requesting pod (its token's namespace). */
function podOf(event: EventRow): { namespace: string; name: string } | null {
  if (event.kind === 'file')
    return event.podName && event.namespace ? { namespace: event.namespace, name: event.podName } : null;
  const namespace = serviceAccountNamespace(event.username);
  return event.podName && namespace ? { namespace, name: event.podName } : null;
}

export async function readEvent(pool: pg.Pool, kind: EventKind, id: string): Promise<EventDetail | null> {
  const found =
    kind === 'audit'
      ? await pool.query(
          // Evidence outlives retention: an event gone from the partitions is still there if an alert kept it.
          `SELECT ${AUDIT_EVENT_COLUMNS}, o.originals AS original FROM audit_events e
             LEFT JOIN audit_event_originals o ON o.event_id = e.id AND o.time = e.time AND o.cluster = e.cluster WHERE e.id = $1
           UNION ALL
           SELECT ${AUDIT_EVENT_COLUMNS}, e.originals FROM evidence_audit_events e
            WHERE e.id = $1 AND NOT EXISTS (SELECT 1 FROM audit_events x WHERE x.id = $1)
           LIMIT 1`,
          [id],
        )
      : await pool.query(
          `SELECT ${FILE_EVENT_COLUMNS}, f.original FROM file_events f WHERE f.id = $1
           UNION ALL
           SELECT ${FILE_EVENT_COLUMNS}, f.original FROM evidence_file_events f
            WHERE f.id = $1 AND NOT EXISTS (SELECT 1 FROM file_events x WHERE x.id = $1)
           LIMIT 1`,
          [id],
        );
  const row = found.rows[0];
  if (!row) return null;
  const event = kind === 'audit' ? toAuditEventRow(row) : toFileEventRow(row);
  const identity = identityOf(event);
  const time = new Date(event.time).getTime();
  const from = new Date(time - AROUND_MS);
  const to = new Date(time + AROUND_MS);
  const pod = podOf(event);

  const auditAround = async (): Promise<AuditEventRow[]> => {
    let where: string;
    let params: unknown[];
    if (identity?.field === 'user') [where, params] = ['e.username = $3', [identity.value]];
    else if (identity?.field === 'sourceIp') [where, params] = ['e.source_ip = $3', [identity.value]];
    else if (pod) [where, params] = [podRequestsSql('e', '$3', '$4'), [pod.name, pod.namespace]];
    else return [];
    const result = await pool.query(
      `SELECT ${AUDIT_EVENT_COLUMNS} FROM audit_events e WHERE e.time BETWEEN $1 AND $2 AND ${where}
        ORDER BY e.time, e.id LIMIT ${AROUND_LIMIT}`,
      [from, to, ...params],
    );
    return result.rows.map(toAuditEventRow);
  };
  const fileAround = async (): Promise<FileEventRow[]> => {
    if (!pod) return [];
    const result = await pool.query(
      `SELECT ${FILE_EVENT_COLUMNS} FROM file_events f
        WHERE f.pod_name = $3 AND f.namespace = $4 AND f.time BETWEEN $1 AND $2 ORDER BY f.time, f.id LIMIT ${AROUND_LIMIT}`,
      [from, to, pod.name, pod.namespace],
    );
    return result.rows.map(toFileEventRow);
  };
  const [audit, file, alerts] = await Promise.all([auditAround(), fileAround(), readEvidenceOf(pool, kind, id)]);
  return {
    event,
    original:
      kind === 'audit'
        ? formatOriginals(row.original ?? null)
        : row.original === null || row.original === undefined
          ? null
          : JSON.stringify(row.original, null, 2),
    identity,
    alerts,
    around: { from: from.toISOString(), to: to.toISOString(), audit, file, pod },
  };
}
