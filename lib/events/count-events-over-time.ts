// The explorer's histogram: the events its filter selects, per UTC time bucket, over the query's
// range or, without one, from the first match to the last; audit events split by outcome.
import type pg from 'pg';
import { chooseBucketMinutes, fillBuckets } from '../time-range';
import { buildEventFilterSql } from './event-filter-sql';
import { OUTCOME_SQL } from './outcome-sql';
import type { EventQuery } from './schemas';

export type EventHistogram = {
  from: string;
  to: string;
  bucketMinutes: number;
  /** `allowed`, `forbidden`, `other` for audit events; `events` for file events. */
  buckets: ({ start: string } & Record<string, number>)[];
  total: number;
};

const MINUTE = 60_000;

/** Null when nothing matches. */
export async function countEventsOverTime(pool: pg.Pool, query: EventQuery): Promise<EventHistogram | null> {
  const sql = buildEventFilterSql({ ...query, cursor: undefined });
  const time = `${sql.alias}.time`;
  const span = await pool.query<{ first: Date | null; last: Date | null }>(
    `SELECT min(${time}) AS first, max(${time}) AS last FROM ${sql.table} WHERE ${sql.where}`,
    sql.params,
  );
  const { first, last } = span.rows[0] ?? { first: null, last: null };
  if (!first || !last) return null;
  const from = query.from ? new Date(query.from) : new Date(Math.floor(first.getTime() / MINUTE) * MINUTE);
  const to = query.to ? new Date(query.to) : new Date(Math.floor(last.getTime() / MINUTE) * MINUTE + MINUTE);
  const bucketMinutes = chooseBucketMinutes(from, to);
  const series = query.kind === 'audit' ? OUTCOME_SQL : `'events'`;
  const keys = query.kind === 'audit' ? ['allowed', 'forbidden', 'other'] : ['events'];
  const n = sql.params.length;
  const counted = await pool.query<{ start: Date; series: string; count: number }>(
    `SELECT date_bin(make_interval(mins => $${n + 3}), ${time}, $${n + 1}::timestamptz) AS start,
        ${series} AS series, count(*)::int AS count
       FROM ${sql.table} WHERE ${sql.where} AND ${time} >= $${n + 1}::timestamptz AND ${time} < $${n + 2}::timestamptz
      GROUP BY 1, 2`,
    [...sql.params, from, to, bucketMinutes],
  );
  const byStart = new Map<number, Record<string, number>>();
  for (const row of counted.rows) {
    const entry = byStart.get(row.start.getTime()) ?? Object.fromEntries(keys.map((key) => [key, 0]));
    entry[row.series] = (entry[row.series] ?? 0) + row.count;
    byStart.set(row.start.getTime(), entry);
  }
  const buckets = fillBuckets(from, to, bucketMinutes, byStart, () => Object.fromEntries(keys.map((key) => [key, 0])));
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    bucketMinutes,
    buckets,
    total: counted.rows.reduce((sum, row) => sum + row.count, 0),
  };
}
