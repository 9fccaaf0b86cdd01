// The events explorer as a file: every event the search selects (cursor and page size ignored),
// in the explorer's order, with every normalized field.
import { buildEventFilterSql } from '../events/event-filter-sql';
import type { EventQuery } from '../events/schemas';
import {
  AUDIT_EVENT_COLUMNS,
  FILE_EVENT_COLUMNS,
  toAuditEventRow,
  toFileEventRow,
  type AuditEventRow,
  type EventRow,
  type FileEventRow,
} from '../events/search-events';
import { LISTED_AUDIT_FIELDS } from '../events/audit-event-columns';
import { LISTED_FILE_FIELDS } from '../events/file-event-columns';
import type { ExportColumn, ExportQuery } from './format-rows';

function columnsOf<Row>(fields: readonly (keyof Row & string)[]): ExportColumn<Row>[] {
  return fields.map((field) => ({ header: field, value: (row: Row) => row[field] }));
}

// Every listed field of the one column definition, the outcome beside the decision and reason.
const reasonAt = LISTED_AUDIT_FIELDS.indexOf('reason') + 1;
const auditEventExportColumns = columnsOf<AuditEventRow>([
  ...LISTED_AUDIT_FIELDS.slice(0, reasonAt),
  'outcome',
  ...LISTED_AUDIT_FIELDS.slice(reasonAt),
]);
const fileEventExportColumns = columnsOf<FileEventRow>(LISTED_FILE_FIELDS);

/** Every event the search selects (cursor and page size ignored), in the explorer's order. */
export function eventExportQuery(query: EventQuery): ExportQuery<Record<string, unknown>, EventRow> {
  const { table, where, params, order } = buildEventFilterSql({ ...query, cursor: undefined });
  const audit = query.kind === 'audit';
  return {
    sql: `SELECT ${audit ? AUDIT_EVENT_COLUMNS : FILE_EVENT_COLUMNS} FROM ${table} WHERE ${where} ORDER BY ${order}`,
    params,
    name: `${query.kind}-events`,
    columns: (audit ? auditEventExportColumns : fileEventExportColumns) as readonly ExportColumn<EventRow>[],
    mapRow: audit ? toAuditEventRow : toFileEventRow,
  };
}
