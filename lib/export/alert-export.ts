// The alert queue as a file: every alert the queue's filter selects, in the queue's order
// (paging ignored), with the queue's columns and a link to each alert.
import { buildAlertFilterSql } from '../alerts/alert-filter-sql';
import {
  ALERT_ROW_COLUMNS,
  ALERT_ROW_FROM,
  alertOrderBy,
  toAlertRow,
  type AlertDbRow,
  type AlertRow,
} from '../alerts/list-alerts';
import type { AlertListQuery } from '../alerts/schemas';
import type { ExportColumn, ExportQuery } from './format-rows';

export const alertExportColumns: readonly ExportColumn<AlertRow>[] = [
  { header: 'id', value: (row) => row.id },
  { header: 'ruleId', value: (row) => row.ruleId },
  { header: 'ruleName', value: (row) => row.ruleName },
  { header: 'severity', value: (row) => row.severity },
  { header: 'riskScore', value: (row) => row.riskScore },
  { header: 'status', value: (row) => row.status },
  { header: 'closeReason', value: (row) => row.closeReason },
  { header: 'assigneeEmail', value: (row) => row.assignee?.email ?? null },
  { header: 'firstEventAt', value: (row) => row.firstEventAt },
  { header: 'lastEventAt', value: (row) => row.lastEventAt },
  { header: 'eventCount', value: (row) => row.eventCount },
  { header: 'cluster', value: (row) => row.cluster },
  { header: 'username', value: (row) => row.username },
  { header: 'sourceIp', value: (row) => row.sourceIp },
  { header: 'userAgent', value: (row) => row.userAgent },
  { header: 'podName', value: (row) => row.podName },
  { header: 'namespaces', value: (row) => row.namespaces },
  { header: 'secretNames', value: (row) => row.secretNames },
  { header: 'outcomes', value: (row) => row.outcomes },
  { header: 'link', value: (row) => `/alerts/${row.id}` },
];

/** Every alert under the query's filter, sorted as the queue sorts it. */
export function alertExportQuery(
  query: Pick<AlertListQuery, 'filter' | 'sort' | 'dir'>,
): ExportQuery<AlertDbRow, AlertRow> {
  const { where, params } = buildAlertFilterSql(query.filter);
  return {
    sql: `SELECT ${ALERT_ROW_COLUMNS} FROM ${ALERT_ROW_FROM} WHERE ${where} ORDER BY ${alertOrderBy(query)}`,
    params,
    name: 'alerts',
    columns: alertExportColumns,
    mapRow: toAlertRow,
  };
}
