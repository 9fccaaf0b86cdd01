// The alert as messages show it, read when an event is routed.
import type pg from 'pg';
import type { AlertSnapshot } from './schemas';

export const ALERT_SNAPSHOT_SQL = `
  SELECT a.id, a.rule_id, r.name AS rule_name, a.severity::text AS severity, a.risk_score, a.status::text AS status,
         a.close_reason::text AS close_reason, u.email AS assignee, a.cluster, a.username, a.source_ip, a.source_ips,
         a.user_agent, a.pod_name, a.namespaces, a.secret_names, a.event_count, a.first_event_at, a.last_event_at,
         a.created_at
    FROM alerts a JOIN rules r ON r.id = a.rule_id LEFT JOIN users u ON u.id = a.assignee_id`;

type SnapshotRow = {
  id: string;
  rule_id: string;
  rule_name: string;
  severity: AlertSnapshot['severity'];
  risk_score: number;
  status: string;
  close_reason: string | null;
  assignee: string | null;
  cluster: string | null;
  username: string | null;
  source_ip: string | null;
  source_ips: string[];
  user_agent: string | null;
  pod_name: string | null;
  namespaces: string[];
  secret_names: string[];
  event_count: number;
  first_event_at: Date;
  last_event_at: Date;
  created_at: Date;
};

export function toAlertSnapshot(row: SnapshotRow): AlertSnapshot {
  return {
    id: row.id,
    ruleId: row.rule_id,
    ruleName: row.rule_name,
    severity: row.severity,
    riskScore: row.risk_score,
    status: row.status,
    closeReason: row.close_reason,
    assignee: row.assignee,
    cluster: row.cluster,
    username: row.username,
    sourceIp: row.source_ip,
    sourceIps: row.source_ips,
    userAgent: row.user_agent,
    podName: row.pod_name,
    namespaces: row.namespaces,
    secretNames: row.secret_names,
    eventCount: row.event_count,
    firstEventAt: row.first_event_at.toISOString(),
    lastEventAt: row.last_event_at.toISOString(),
    createdAt: row.created_at.toISOString(),
  };
}

export async function readAlertSnapshots(client: pg.ClientBase, ids: readonly string[]) {
  const result = await client.query<SnapshotRow>(`${ALERT_SNAPSHOT_SQL} WHERE a.id = ANY($1::uuid[])`, [ids]);
  return new Map(result.rows.map((row) => [row.id, toAlertSnapshot(row)]));
}

/** Alerts raised since `since` (newest first), for a route's preview. */
export async function readRecentAlertSnapshots(client: pg.ClientBase, since: Date, limit: number) {
  const result = await client.query<SnapshotRow>(
    `${ALERT_SNAPSHOT_SQL} WHERE a.created_at >= $1 AND a.withdrawn_at IS NULL ORDER BY a.created_at DESC LIMIT $2`,
    [since, limit],
  );
  return result.rows.map(toAlertSnapshot);
}
