// The one translation of an explorer query into SQL, shared by the page, the REST list and
// the export, so a download holds exactly what the analyst was looking at.
import { auditEvents } from './audit-event-columns';
import { OUTCOME_SQL } from './outcome-sql';
import { STAGE_TIME_FIELDS, type RequestStage } from './request-stages';
import type { AuditFilterField, EventQuery, FileFilterField } from './schemas';

type Column = { sql: string; kind?: 'text' | 'int' | 'array' | 'outcome' | 'stage' };

const AUDIT_COLUMNS: Record<AuditFilterField, Column> = {
  user: { sql: 'e.username' },
  sourceIp: { sql: 'e.source_ip' },
  userAgent: { sql: 'e.user_agent' },
  verb: { sql: 'e.verb' },
  resource: { sql: 'e.resource' },
  subresource: { sql: 'e.subresource' },
  namespace: { sql: 'e.namespace' },
  name: { sql: 'e.name' },
  pod: { sql: 'e.pod_name' },
  node: { sql: 'e.node_name' },
  cluster: { sql: 'e.cluster' },
  group: { sql: 'e.groups', kind: 'array' },
  responseCode: { sql: 'e.response_code', kind: 'int' },
  decision: { sql: 'e.decision' },
  outcome: { sql: OUTCOME_SQL, kind: 'outcome' },
  requestUri: { sql: 'e.request_uri' },
  auditId: { sql: 'e.audit_id' },
  // A request was logged at a stage when that stage's time is stored.
  stage: { sql: 'e', kind: 'stage' },
  binding: { sql: 'e.rbac_binding_name' },
  role: { sql: 'e.rbac_role_name' },
};

const FILE_COLUMNS: Record<FileFilterField, Column> = {
  pod: { sql: 'f.pod_name' },
  namespace: { sql: 'f.namespace' },
  path: { sql: 'f.path' },
  action: { sql: 'f.action' },
  process: { sql: 'f.process_name' },
  processUser: { sql: 'f.process_user' },
  container: { sql: 'f.container_id' },
  cluster: { sql: 'f.cluster' },
};

/** `*` is the only wildcard: `?` and `_` are common in request URIs and names. */
export function wildcardToLike(value: string): string {
  return value.replace(/[\\%_]/g, '\\$&').replace(/\*/g, '%');
}

type EventSql = { alias: 'e' | 'f'; table: string; where: string; params: unknown[]; order: string };

/** WHERE and ORDER BY over `audit_events e` or `file_events f`; the cursor continues after the last row seen. */
export function buildEventFilterSql(query: Pick<EventQuery, 'kind' | 'filter' | 'from' | 'to' | 'order' | 'cursor'>) {
  const alias = query.kind === 'audit' ? 'e' : 'f';
  const columns: Record<string, Column> = query.kind === 'audit' ? AUDIT_COLUMNS : FILE_COLUMNS;
  const params: unknown[] = [];
  const clauses: string[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  for (const [field, given] of Object.entries(query.filter)) {
    const column = columns[field];
    if (given === undefined || !column) continue;
    if (column.kind === 'int') clauses.push(`${column.sql} = ${param(Number(given))}::int`);
    else if (column.kind === 'array') clauses.push(`${param(given)} = ANY(${column.sql})`);
    else if (column.kind === 'stage')
      clauses.push(`${column.sql}.${auditEvents.columns[STAGE_TIME_FIELDS[given as RequestStage]].column} IS NOT NULL`);
    else if (column.kind === 'outcome' || !given.includes('*')) clauses.push(`${column.sql} = ${param(given)}`);
    else clauses.push(`${column.sql} LIKE ${param(wildcardToLike(given))}`);
  }
  if (query.from) clauses.push(`${alias}.time >= ${param(query.from)}::timestamptz`);
  if (query.to) clauses.push(`${alias}.time < ${param(query.to)}::timestamptz`);
  const direction = query.order === 'asc' ? 'ASC' : 'DESC';
  if (query.cursor) {
    const after = query.order === 'asc' ? '>' : '<';
    clauses.push(
      `(${alias}.time, ${alias}.id) ${after} (${param(query.cursor.time)}::timestamptz, ${param(query.cursor.id)}::bigint)`,
    );
  }
  return {
    alias,
    table: query.kind === 'audit' ? 'audit_events e' : 'file_events f',
    where: clauses.length ? clauses.join(' AND ') : 'TRUE',
    params,
    order: `${alias}.time ${direction}, ${alias}.id ${direction}`,
  } satisfies EventSql;
}
