// The incident queue: live incidents (not merged away, with members), filtered, sorted and paged.
import type pg from 'pg';
import type { IncidentListQuery, IncidentStatus, Severity } from './schemas';

export type IncidentSummary = {
  id: string;
  title: string;
  severity: Severity;
  status: IncidentStatus;
  closeReason: string | null;
  assigneeId: string | null;
  assignee: string | null;
  firstEventAt: string | null;
  lastEventAt: string | null;
  alertCount: number;
  rules: string[];
  /** The clusters its alerts were raised in. */
  clusters: string[];
  createdAt: string;
};

export type IncidentPage = {
  incidents: IncidentSummary[];
  total: number;
  page: number;
  pageSize: number;
  counts: Record<IncidentStatus, number>;
};

const SORT_SQL: Record<IncidentListQuery['sort'], string> = {
  lastEventAt: 'i.last_event_at',
  firstEventAt: 'i.first_event_at',
  severity: 'i.severity',
  alertCount: 'i.alert_count',
  status: 'i.status',
};

const LIVE = `i.merged_into IS NULL AND i.alert_count > 0`;

type Row = {
  id: string;
  title: string;
  severity: Severity;
  status: IncidentStatus;
  close_reason: string | null;
  assignee_id: string | null;
  assignee: string | null;
  first_event_at: Date | null;
  last_event_at: Date | null;
  alert_count: number;
  rules: string[] | null;
  clusters: string[] | null;
  created_at: Date;
};

export const INCIDENT_SUMMARY_SELECT = `
  SELECT i.id, i.title, i.severity, i.status, i.close_reason, i.assignee_id, u.email AS assignee,
         i.first_event_at, i.last_event_at, i.alert_count, i.created_at,
         (SELECT array_agg(DISTINCT a.rule_id ORDER BY a.rule_id) FROM incident_alerts ia
            JOIN alerts a ON a.id = ia.alert_id WHERE ia.incident_id = i.id AND NOT ia.removed) AS rules,
         (SELECT array_agg(DISTINCT a.cluster ORDER BY a.cluster) FILTER (WHERE a.cluster IS NOT NULL AND a.cluster <> '')
            FROM incident_alerts ia JOIN alerts a ON a.id = ia.alert_id
           WHERE ia.incident_id = i.id AND NOT ia.removed) AS clusters
    FROM incidents i LEFT JOIN users u ON u.id = i.assignee_id`;

export function toIncidentSummary(row: Row): IncidentSummary {
  return {
    id: row.id,
    title: row.title,
    severity: row.severity,
    status: row.status,
    closeReason: row.close_reason,
    assigneeId: row.assignee_id,
    assignee: row.assignee,
    firstEventAt: row.first_event_at?.toISOString() ?? null,
    lastEventAt: row.last_event_at?.toISOString() ?? null,
    alertCount: row.alert_count,
    rules: row.rules ?? [],
    clusters: row.clusters ?? [],
    createdAt: row.created_at.toISOString(),
  };
}

function whereOf(query: Omit<IncidentListQuery, 'status'>, params: unknown[]): string[] {
  const where = [LIVE];
  if (query.severity) where.push(`i.severity = $${params.push(query.severity)}::"Severity"`);
  if (query.assignee === 'none') where.push('i.assignee_id IS NULL');
  else if (query.assignee) where.push(`i.assignee_id = $${params.push(query.assignee)}::uuid`);
  if (query.q) {
    const like = `%${query.q.replace(/[\\%_]/g, '\\$&')}%`;
    const p = params.push(like);
    where.push(`(i.title ILIKE $${p} OR EXISTS (SELECT 1 FROM incident_alerts ia JOIN alerts a ON a.id = ia.alert_id
      WHERE ia.incident_id = i.id AND NOT ia.removed AND (a.username ILIKE $${p} OR a.pod_name ILIKE $${p}
        OR a.source_ip ILIKE $${p} OR array_to_string(a.secret_names, ' ') ILIKE $${p})))`);
  }
  return where;
}

export async function listIncidents(pool: pg.Pool, query: IncidentListQuery): Promise<IncidentPage> {
  const params: unknown[] = [];
  const where = whereOf(query, params);
  const counted = await pool.query<{ status: IncidentStatus; n: number }>(
    `SELECT i.status, count(*)::int AS n FROM incidents i WHERE ${where.join(' AND ')} GROUP BY i.status`,
    params,
  );
  const counts: Record<IncidentStatus, number> = { open: 0, acknowledged: 0, closed: 0 };
  for (const row of counted.rows) counts[row.status] = row.n;
  if (query.status) where.push(`i.status = $${params.push(query.status)}::"AlertStatus"`);
  const total = query.status ? counts[query.status] : counts.open + counts.acknowledged + counts.closed;
  const order = `${SORT_SQL[query.sort]} ${query.dir === 'asc' ? 'ASC' : 'DESC'} NULLS LAST, i.id`;
  const limit = params.push(query.pageSize);
  const offset = params.push((query.page - 1) * query.pageSize);
  const result = await pool.query<Row>(
    `${INCIDENT_SUMMARY_SELECT} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT $${limit} OFFSET $${offset}`,
    params,
  );
  return { incidents: result.rows.map(toIncidentSummary), total, page: query.page, pageSize: query.pageSize, counts };
}

/** Open incidents, for the overview. */
export async function countOpenIncidents(pool: pg.Pool): Promise<number> {
  const result = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM incidents i WHERE ${LIVE} AND i.status = 'open'`,
  );
  return result.rows[0]!.n;
}
