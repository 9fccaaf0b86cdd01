// The events explorer: a page of audit or file events under a query, newest first by default,
// continued by cursor so page 500 costs what page 1 does.
import type pg from 'pg';
import { OUTCOME_SQL } from './outcome-sql';
import { buildEventFilterSql } from './event-filter-sql';
import type { EventQuery, Outcome } from './schemas';

export type AuditEventRow = {
  kind: 'audit';
  id: string;
  time: string;
  cluster: string;
  auditId: string;
  stage: string;
  verb: string;
  username: string | null;
  groups: string[];
  userAgent: string | null;
  sourceIp: string | null;
  sourceIps: string[];
  resource: string | null;
  subresource: string | null;
  namespace: string | null;
  name: string | null;
  requestUri: string | null;
  responseCode: number | null;
  decision: string | null;
  reason: string | null;
  outcome: Outcome;
  podName: string | null;
  nodeName: string | null;
  impersonatedUser: string | null;
  sourceFormat: string;
};

export type FileEventRow = {
  kind: 'file';
  id: string;
  time: string;
  cluster: string;
  path: string;
  action: string;
  types: string[];
  processName: string | null;
  processExecutable: string | null;
  processArgs: string[];
  processUser: string | null;
  containerId: string | null;
  podName: string | null;
  namespace: string | null;
  interactive: boolean | null;
  sourceFormat: string;
};

export type EventRow = AuditEventRow | FileEventRow;

export const AUDIT_EVENT_COLUMNS = `e.id::text AS id, e.time, e.cluster, e.audit_id, e.stage, e.verb, e.username, e.groups,
  e.user_agent, e.source_ip, e.source_ips, e.resource, e.subresource, e.namespace, e.name, e.request_uri,
  e.response_code, e.decision, e.reason, ${OUTCOME_SQL} AS outcome, e.pod_name, e.node_name, e.impersonated_user,
  e.source_format`;

export const FILE_EVENT_COLUMNS = `f.id::text AS id, f.time, f.cluster, f.path, f.action, f.types, f.process_name,
  f.process_executable, f.process_args, f.process_user, f.container_id, f.pod_name, f.namespace, f.interactive,
  f.source_format`;

/* eslint-disable @typescript-eslint/no-explicit-any -- rows straight from pg, typed by the columns above */
export function toAuditEventRow(row: any): AuditEventRow {
  return {
    kind: 'audit',
    id: row.id,
    time: row.time.toISOString(),
    cluster: row.cluster,
    auditId: row.audit_id,
    stage: row.stage,
    verb: row.verb,
    username: row.username,
    groups: row.groups ?? [],
    userAgent: row.user_agent,
    sourceIp: row.source_ip,
    sourceIps: row.source_ips ?? [],
    resource: row.resource,
    subresource: row.subresource,
    namespace: row.namespace,
    name: row.name,
    requestUri: row.request_uri,
    responseCode: row.response_code,
    decision: row.decision,
    reason: row.reason,
    outcome: row.outcome,
    podName: row.pod_name,
    nodeName: row.node_name,
    impersonatedUser: row.impersonated_user,
    sourceFormat: row.source_format,
  };
}

export function toFileEventRow(row: any): FileEventRow {
  return {
    kind: 'file',
    id: row.id,
    time: row.time.toISOString(),
    cluster: row.cluster,
    path: row.path,
    action: row.action,
    types: row.types ?? [],
    processName: row.process_name,
    processExecutable: row.process_executable,
    processArgs: row.process_args ?? [],
    processUser: row.process_user,
    containerId: row.container_id,
    podName: row.pod_name,
    namespace: row.namespace,
    interactive: row.interactive,
    sourceFormat: row.source_format,
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Counting stops here: "10,000+" is all a search page needs, and an exact count of a million rows is not free. */
export const COUNT_LIMIT = 10_000;

export type EventPage = {
  kind: EventQuery['kind'];
  rows: EventRow[];
  /** Matches under the filter (ignoring the cursor), counted up to COUNT_LIMIT. */
  total: number;
  totalIsLowerBound: boolean;
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
};

function eventCursor(row: { time: string; id: string }): string {
  return `${row.time}_${row.id}`;
}

export async function searchEvents(pool: pg.Pool, query: EventQuery): Promise<EventPage> {
  const page = buildEventFilterSql(query);
  const counted = buildEventFilterSql({ ...query, cursor: undefined });
  const columns = query.kind === 'audit' ? AUDIT_EVENT_COLUMNS : FILE_EVENT_COLUMNS;
  // Times are stored to the microsecond, a JS Date keeps the millisecond: the cursor takes the
  // stored time, or rows in the same millisecond would be skipped (desc) or repeated (asc).
  const cursorTime = `to_char(${page.alias}.time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_time`;
  const [rows, count] = await Promise.all([
    pool.query(
      `SELECT ${columns}, ${cursorTime} FROM ${page.table} WHERE ${page.where} ORDER BY ${page.order}
        LIMIT ${query.pageSize + 1}`,
      page.params,
    ),
    pool.query<{ count: string }>(
      `SELECT count(*) AS count FROM (SELECT 1 FROM ${counted.table} WHERE ${counted.where} LIMIT ${COUNT_LIMIT + 1}) m`,
      counted.params,
    ),
  ]);
  const more = rows.rows.length > query.pageSize;
  const toRow: (row: unknown) => EventRow = query.kind === 'audit' ? toAuditEventRow : toFileEventRow;
  const kept = rows.rows.slice(0, query.pageSize).map(toRow);
  const total = Number(count.rows[0]!.count);
  return {
    kind: query.kind,
    rows: kept,
    total: Math.min(total, COUNT_LIMIT),
    totalIsLowerBound: total > COUNT_LIMIT,
    nextCursor: more ? eventCursor({ time: rows.rows[query.pageSize - 1].cursor_time, id: kept.at(-1)!.id }) : null,
  };
}
