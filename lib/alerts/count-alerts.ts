// The one definition of every alert count the console shows: the overview's tiles, Rule health,
// "Open alerts by rule", the Rules page and the queue's tabs all count through these, under the
// queue's own filter SQL, so a number on one panel is the number of rows the queue lists for it.
import type pg from 'pg';
import type { Db } from '../db/client';
import type { Severity } from '../vocabulary/severity';
import { buildAlertFilterSql } from './alert-filter-sql';
import type { AlertFilter, AlertStatus } from './schemas';

/** Alerts per status, withdrawn ones left out (they are no longer raised); `all` is their sum. */
export type AlertStatusCounts = Record<AlertStatus | 'all', number>;

export type RuleAlertCounts = AlertStatusCounts & {
  ruleId: string;
  ruleName: string;
  /** The highest severity of the rule's open and acknowledged alerts; null when it has none. */
  highestActiveSeverity: Severity | null;
};

type CountSource = pg.Pool | pg.ClientBase | Db;

const STATUS_COUNT_COLUMNS = `count(*) FILTER (WHERE a.status = 'open')::int AS open,
  count(*) FILTER (WHERE a.status = 'acknowledged')::int AS acknowledged,
  count(*) FILTER (WHERE a.status = 'closed')::int AS closed, count(*)::int AS "all"`;

async function queryRows<R>(source: CountSource, text: string, params: unknown[]): Promise<R[]> {
  if ('$queryRawUnsafe' in source) return source.$queryRawUnsafe<R[]>(text, ...params);
  return (await source.query(text, params)).rows as R[];
}

const toStatusCounts = (row: AlertStatusCounts | undefined): AlertStatusCounts => ({
  open: row?.open ?? 0,
  acknowledged: row?.acknowledged ?? 0,
  closed: row?.closed ?? 0,
  all: row?.all ?? 0,
});

/** Per status under every other part of the filter (its status is ignored): the queue's tabs, the overview's tiles. */
export async function countAlertsByStatus(source: CountSource, filter: AlertFilter = {}): Promise<AlertStatusCounts> {
  const { where, params } = buildAlertFilterSql(filter, { omitStatus: true });
  const rows = await queryRows<AlertStatusCounts>(
    source,
    `SELECT ${STATUS_COUNT_COLUMNS} FROM alerts a JOIN rules r ON r.id = a.rule_id WHERE ${where}`,
    params,
  );
  return toStatusCounts(rows[0]);
}

/** Per rule that has alerts under the filter (its status ignored), the most open and acknowledged first. */
export async function countAlertsByRule(source: CountSource, filter: AlertFilter = {}): Promise<RuleAlertCounts[]> {
  const { where, params } = buildAlertFilterSql(filter, { omitStatus: true });
  const rows = await queryRows<AlertStatusCounts & { rule_id: string; rule_name: string; severity: Severity | null }>(
    source,
    `SELECT a.rule_id, max(r.name) AS rule_name, ${STATUS_COUNT_COLUMNS},
        max(a.severity) FILTER (WHERE a.status IN ('open', 'acknowledged'))::text AS severity
       FROM alerts a JOIN rules r ON r.id = a.rule_id WHERE ${where}
      GROUP BY a.rule_id
      ORDER BY count(*) FILTER (WHERE a.status IN ('open', 'acknowledged')) DESC, max(r.name), a.rule_id`,
    params,
  );
  return rows.map((row) => ({
    ruleId: row.rule_id,
    ruleName: row.rule_name,
    ...toStatusCounts(row),
    highestActiveSeverity: row.severity,
  }));
}
