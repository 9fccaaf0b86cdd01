// The events explorer as a file: every event the search selects (cursor and page size ignored),
// in the explorer's order, with every normalized field.
import type pg from 'pg';
import { buildEventFilterSql } from '../events/event-filter-sql';
import type { EventQuery } from '../events/schemas';
import {
  AUDIT_EVENT_COLUMNS,
  FILE_EVENT_COLUMNS,
  toAuditEventRow,
  toFileEventRow,
  type AuditEventRow,
  type FileEventRow,
} from '../events/search-events';
import type { ExportColumn, ExportFormat } from './format-rows';
import { streamExport } from './stream-export';

const AUDIT_FIELDS = [
  'id',
  'time',
  'cluster',
  'auditId',
  'stage',
  'verb',
  'username',
  'groups',
  'userAgent',
  'sourceIp',
  'sourceIps',
  'resource',
  'subresource',
  'namespace',
  'name',
  'requestUri',
  'responseCode',
  'decision',
  'reason',
  'outcome',
  'podName',
  'nodeName',
  'impersonatedUser',
  'sourceFormat',
] as const satisfies readonly (keyof AuditEventRow)[];

const FILE_FIELDS = [
  'id',
  'time',
  'cluster',
  'podName',
  'namespace',
  'containerId',
  'action',
  'path',
  'types',
  'processName',
  'processExecutable',
  'processArgs',
  'processUser',
  'interactive',
  'sourceFormat',
] as const satisfies readonly (keyof FileEventRow)[];

function columnsOf<Row>(fields: readonly (keyof Row & string)[]): ExportColumn<Row>[] {
  return fields.map((field) => ({ header: field, value: (row: Row) => row[field] }));
}

const auditEventExportColumns = columnsOf<AuditEventRow>(AUDIT_FIELDS);
const fileEventExportColumns = columnsOf<FileEventRow>(FILE_FIELDS);

export const eventExportName = (query: Pick<EventQuery, 'kind'>) => `${query.kind}-events`;

export function exportEvents(
  pool: pg.Pool,
  query: EventQuery,
  format: ExportFormat,
  options: { signal?: AbortSignal; batchSize?: number } = {},
): Promise<Response> {
  const { table, where, params, order } = buildEventFilterSql({ ...query, cursor: undefined });
  const sql = `SELECT ${query.kind === 'audit' ? AUDIT_EVENT_COLUMNS : FILE_EVENT_COLUMNS} FROM ${table}
    WHERE ${where} ORDER BY ${order}`;
  return query.kind === 'audit'
    ? streamExport({
        pool,
        sql,
        params,
        format,
        name: eventExportName(query),
        columns: auditEventExportColumns,
        mapRow: toAuditEventRow,
        ...options,
      })
    : streamExport({
        pool,
        sql,
        params,
        format,
        name: eventExportName(query),
        columns: fileEventExportColumns,
        mapRow: toFileEventRow,
        ...options,
      });
}
