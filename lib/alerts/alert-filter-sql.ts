// The one translation of an alert filter into SQL, shared by the queue, its counts, its
// groups and bulk-by-filter, so what an analyst sees is exactly what a bulk action touches.
import type { AlertFilter } from './schemas';

export type SqlFragment = { where: string; params: unknown[] };

function escapeLike(value: string) {
  return value.replace(/[\\%_]/g, '\\$&');
}

/** A WHERE clause over `alerts a` (joined with `rules r`); parameters start at $1 unless offset. */
export function buildAlertFilterSql(filter: AlertFilter, options: { omitStatus?: boolean; offset?: number } = {}) {
  const params: unknown[] = [];
  const clauses: string[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length + (options.offset ?? 0)}`;
  };
  if (filter.withdrawn === 'only') clauses.push(`a.withdrawn_at IS NOT NULL`);
  else if (filter.withdrawn !== 'include') clauses.push(`a.withdrawn_at IS NULL`);
  if (filter.status && !options.omitStatus) clauses.push(`a.status = ${param(filter.status)}::"AlertStatus"`);
  if (filter.severity?.length) clauses.push(`a.severity = ANY(${param(filter.severity)}::"Severity"[])`);
  if (filter.rule?.length) clauses.push(`a.rule_id = ANY(${param(filter.rule)}::text[])`);
  if (filter.cluster) clauses.push(`a.cluster = ${param(filter.cluster)}`);
  if (filter.from) clauses.push(`a.last_event_at >= ${param(filter.from)}::timestamptz`);
  if (filter.to) clauses.push(`a.first_event_at < ${param(filter.to)}::timestamptz`);
  if (filter.user) clauses.push(`a.username = ${param(filter.user)}`);
  if (filter.sourceIp) {
    const ip = param(filter.sourceIp);
    clauses.push(`(a.source_ip = ${ip} OR ${ip} = ANY(a.source_ips))`);
  }
  if (filter.pod) clauses.push(`a.pod_name = ${param(filter.pod)}`);
  if (filter.namespace) clauses.push(`${param(filter.namespace)} = ANY(a.namespaces)`);
  if (filter.assignee === 'none') clauses.push(`a.assignee_id IS NULL`);
  else if (filter.assignee) clauses.push(`a.assignee_id = ${param(filter.assignee)}::uuid`);
  if (filter.q) {
    const like = param(`%${escapeLike(filter.q)}%`);
    clauses.push(
      `(r.name ILIKE ${like} OR a.rule_id ILIKE ${like} OR a.username ILIKE ${like} OR a.source_ip ILIKE ${like}
        OR a.user_agent ILIKE ${like} OR a.pod_name ILIKE ${like}
        OR EXISTS (SELECT 1 FROM unnest(a.namespaces || a.secret_names || a.source_ips) AS v WHERE v ILIKE ${like}))`,
    );
  }
  return { where: clauses.length ? clauses.join(' AND ') : 'TRUE', params } satisfies SqlFragment;
}
