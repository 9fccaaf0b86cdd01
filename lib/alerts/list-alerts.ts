import type pg from 'pg';
import { buildAlertFilterSql } from './alert-filter-sql';
import { countAlertsByStatus, type AlertStatusCounts } from './count-alerts';
import type { AlertFilter, AlertGroupField, AlertListQuery, AlertSortField, AlertStatus, CloseReason } from './schemas';

/** One row of the queue, serializable as it is (times as ISO strings). */
export type AlertRow = {
  id: string;
  ruleId: string;
  ruleName: string;
  severity: 'low' | 'medium' | 'high' | 'critical';
  riskScore: number;
  status: AlertStatus;
  closeReason: CloseReason | null;
  assignee: { id: string; email: string; name: string } | null;
  firstEventAt: string;
  lastEventAt: string;
  eventCount: number;
  cluster: string | null;
  username: string | null;
  sourceIp: string | null;
  userAgent: string | null;
  podName: string | null;
  namespaces: string[];
  secretNames: string[];
  outcomes: string[];
  /** Set when detection no longer raises the alert (see replace-detected-alerts.ts), with why and its successor. */
  withdrawn: { at: string; reason: 'merged' | 'not-raised'; supersededBy: string | null } | null;
};

export type AlertPage = {
  rows: AlertRow[];
  total: number;
  page: number;
  pageSize: number;
  /** Per status under every other filter: the queue's tabs. */
  statusCounts: AlertStatusCounts;
};

const SORT_COLUMNS: Record<AlertSortField, string> = {
  lastEventAt: 'a.last_event_at',
  firstEventAt: 'a.first_event_at',
  severity: 'a.severity',
  riskScore: 'a.risk_score',
  eventCount: 'a.event_count',
  status: 'a.status',
  rule: 'r.name',
  username: 'a.username',
};

/** The queue's ORDER BY for a sort, ties broken by id so pages (and exports) are stable. */
export function alertOrderBy(query: Pick<AlertListQuery, 'sort' | 'dir'>): string {
  return `${SORT_COLUMNS[query.sort]} ${query.dir === 'asc' ? 'ASC' : 'DESC'} NULLS LAST, a.id`;
}

export const ALERT_ROW_COLUMNS = `a.id, a.rule_id, r.name AS rule_name, a.severity, a.risk_score, a.status, a.close_reason,
  a.assignee_id, u.email AS assignee_email, u.name AS assignee_name, a.first_event_at, a.last_event_at, a.event_count,
  a.cluster, a.username, a.source_ip, a.user_agent, a.pod_name, a.namespaces, a.secret_names, a.outcomes,
  a.withdrawn_at, a.withdrawn_reason, a.superseded_by`;

export const ALERT_ROW_FROM = `alerts a JOIN rules r ON r.id = a.rule_id LEFT JOIN users u ON u.id = a.assignee_id`;

/** An alert row as ALERT_ROW_COLUMNS reads it. */
export type AlertDbRow = {
  id: string;
  rule_id: string;
  rule_name: string;
  severity: AlertRow['severity'];
  risk_score: number;
  status: AlertStatus;
  close_reason: CloseReason | null;
  assignee_id: string | null;
  assignee_email: string | null;
  assignee_name: string | null;
  first_event_at: Date;
  last_event_at: Date;
  event_count: number;
  cluster: string | null;
  username: string | null;
  source_ip: string | null;
  user_agent: string | null;
  pod_name: string | null;
  namespaces: string[] | null;
  secret_names: string[] | null;
  outcomes: string[] | null;
  withdrawn_at: Date | null;
  withdrawn_reason: 'merged' | 'not-raised' | null;
  superseded_by: string | null;
};

export function toAlertRow(row: AlertDbRow): AlertRow {
  return {
    id: row.id,
    ruleId: row.rule_id,
    ruleName: row.rule_name,
    severity: row.severity,
    riskScore: row.risk_score,
    status: row.status,
    closeReason: row.close_reason,
    assignee: row.assignee_id
      ? { id: row.assignee_id, email: row.assignee_email ?? '', name: row.assignee_name ?? '' }
      : null,
    firstEventAt: row.first_event_at.toISOString(),
    lastEventAt: row.last_event_at.toISOString(),
    eventCount: row.event_count,
    cluster: row.cluster,
    username: row.username,
    sourceIp: row.source_ip,
    userAgent: row.user_agent,
    podName: row.pod_name,
    // The array columns are nullable: rows written outside the engine may hold NULL.
    namespaces: row.namespaces ?? [],
    secretNames: row.secret_names ?? [],
    outcomes: row.outcomes ?? [],
    withdrawn:
      row.withdrawn_at === null
        ? null
        : {
            at: row.withdrawn_at.toISOString(),
            reason: row.withdrawn_reason ?? 'not-raised',
            supersededBy: row.superseded_by,
          },
  };
}

/** A page of the queue, with the total under the filter and the per-status counts for the tabs. */
export async function listAlerts(pool: pg.Pool, query: AlertListQuery): Promise<AlertPage> {
  const { where, params } = buildAlertFilterSql(query.filter);
  const order = alertOrderBy(query);
  const offset = (query.page - 1) * query.pageSize;
  const [rows, statusCounts] = await Promise.all([
    pool.query<AlertDbRow>(
      `SELECT ${ALERT_ROW_COLUMNS} FROM ${ALERT_ROW_FROM} WHERE ${where} ORDER BY ${order}
        LIMIT ${query.pageSize} OFFSET ${offset}`,
      params,
    ),
    countAlertsByStatus(pool, query.filter),
  ]);
  const total = query.filter.status ? statusCounts[query.filter.status] : statusCounts.all;
  return { rows: rows.rows.map(toAlertRow), total, page: query.page, pageSize: query.pageSize, statusCounts };
}

export type AlertGroup = {
  /** The grouped value; null when the alerts have none (e.g. no pod). */
  key: string | null;
  label: string;
  count: number;
  open: number;
  highestSeverity: AlertRow['severity'];
  lastEventAt: string;
};

const GROUP_COLUMNS: Record<AlertGroupField, { key: string; label: string }> = {
  rule: { key: 'a.rule_id', label: 'max(r.name)' },
  cluster: { key: 'a.cluster', label: 'a.cluster' },
  user: { key: 'a.username', label: 'a.username' },
  sourceIp: { key: 'a.source_ip', label: 'a.source_ip' },
  pod: { key: 'a.pod_name', label: 'a.pod_name' },
};

/** The queue grouped by rule, cluster, user, source IP or pod, largest groups first. */
export async function listAlertGroups(
  pool: pg.Pool,
  filter: AlertFilter,
  groupBy: AlertGroupField,
  limit = 200,
): Promise<AlertGroup[]> {
  const { where, params } = buildAlertFilterSql(filter);
  const column = GROUP_COLUMNS[groupBy];
  const result = await pool.query<{
    key: string | null;
    label: string | null;
    count: string;
    open: string;
    severity: AlertRow['severity'];
    last: Date;
  }>(
    `SELECT ${column.key} AS key, ${groupBy === 'rule' ? column.label : column.key} AS label, count(*) AS count,
        count(*) FILTER (WHERE a.status = 'open') AS open, max(a.severity) AS severity, max(a.last_event_at) AS last
       FROM alerts a JOIN rules r ON r.id = a.rule_id WHERE ${where}
      GROUP BY ${column.key} ORDER BY count(*) DESC, max(a.last_event_at) DESC LIMIT ${limit}`,
    params,
  );
  return result.rows.map((row) => ({
    key: row.key,
    label: row.label ?? '(none)',
    count: Number(row.count),
    open: Number(row.open),
    highestSeverity: row.severity,
    lastEventAt: row.last.toISOString(),
  }));
}

/** The filter narrowed to one group, for expanding it or opening it as the queue. */
export function narrowToGroup(filter: AlertFilter, groupBy: AlertGroupField, key: string): AlertFilter {
  switch (groupBy) {
    case 'rule':
      return { ...filter, rule: [key] };
    case 'cluster':
      return { ...filter, cluster: key };
    case 'user':
      return { ...filter, user: key };
    case 'sourceIp':
      return { ...filter, sourceIp: key };
    case 'pod':
      return { ...filter, pod: key };
  }
}
