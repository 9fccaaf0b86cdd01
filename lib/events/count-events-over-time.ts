// The explorer's histogram: the events its filter selects, per UTC time bucket, over the query's
// range or, without one, from the first match to the last; audit events split by outcome. A filter
// a rollup table can answer (see buildRollupSource) reads its whole hours from it.
import type pg from 'pg';
import { intervalParams, splitByWholeHours } from '../rollups/split-by-hours';
import { chooseChartBuckets, fillBuckets } from '../time-range';
import { buildEventFilterSql } from './event-filter-sql';
import { buildRollupSource, narrowsByFilter, STORED_HOUR_SQL } from './event-rollup-source';
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
/**
 * The first and last match. A filter the rollups answer reads the first and last hour with matches
 * from them and walks raw rows only inside those hours: a rare verb of a busy user would otherwise
 * walk every row of the user for min() and max().
 */
async function readMatchSpan(pool: pg.Pool, query: EventQuery): Promise<{ first: Date | null; last: Date | null }> {
  const sql = buildEventFilterSql({ ...query, cursor: undefined });
  const param = (value: unknown) => `$${sql.params.push(value)}`;
  const rollup = narrowsByFilter(query) ? buildRollupSource(query.filter, param) : null;
  const time = `${sql.alias}.time`;
  if (!rollup) {
    const span = await pool.query<{ first: Date | null; last: Date | null }>(
      `SELECT min(${time}) AS first, max(${time}) AS last FROM ${sql.table} WHERE ${sql.where}`,
      sql.params,
    );
    return span.rows[0] ?? { first: null, last: null };
  }
  const hours = [rollup.where, 'r.count > 0', STORED_HOUR_SQL];
  if (query.from) hours.push(`r.hour >= date_trunc('hour', ${param(query.from)}::timestamptz)`);
  if (query.to) hours.push(`r.hour < ${param(query.to)}::timestamptz`);
  const span = await pool.query<{ first: Date | null; last: Date | null }>(
    `WITH hours AS (SELECT min(r.hour) AS first, max(r.hour) AS last FROM ${rollup.table} r WHERE ${hours.join(' AND ')})
     SELECT (SELECT min(${time}) FROM ${sql.table} WHERE ${sql.where} AND ${time} >= (SELECT first FROM hours)) AS first,
        (SELECT max(${time}) FROM ${sql.table}
          WHERE ${sql.where} AND ${time} < (SELECT last FROM hours) + interval '1 hour') AS last`,
    sql.params,
  );
  return span.rows[0] ?? { first: null, last: null };
}

export async function countEventsOverTime(pool: pg.Pool, query: EventQuery): Promise<EventHistogram | null> {
  const sql = buildEventFilterSql({ ...query, cursor: undefined });
  const time = `${sql.alias}.time`;
  const { first, last } = await readMatchSpan(pool, query);
  if (!first || !last) return null;
  const from = query.from ? new Date(query.from) : new Date(Math.floor(first.getTime() / MINUTE) * MINUTE);
  const to = query.to ? new Date(query.to) : new Date(Math.floor(last.getTime() / MINUTE) * MINUTE + MINUTE);
  const { bucketMinutes, bucketOrigin: origin } = chooseChartBuckets(from, to);
  const series = query.kind === 'audit' ? OUTCOME_SQL : `'events'`;
  const keys = query.kind === 'audit' ? ['allowed', 'forbidden', 'other'] : ['events'];
  const params: unknown[] = [...sql.params];
  const param = (value: unknown) => `$${params.push(value)}`;
  const [minutesParam, originParam] = [param(bucketMinutes), param(origin)];
  const bin = (column: string) =>
    `date_bin(make_interval(mins => ${minutesParam}), ${column}, ${originParam}::timestamptz)`;
  const rollup = query.kind === 'audit' ? buildRollupSource(query.filter, param) : null;
  const split = rollup
    ? splitByWholeHours(from, to, { origin, minutes: bucketMinutes })
    : { hours: [], raw: [{ from, to }] };
  const [rawFrom, rawTo] = intervalParams(split.raw).map(param);
  const [hoursFrom, hoursTo] = rollup ? intervalParams(split.hours).map(param) : [];
  const counted = await pool.query<{ start: Date; series: string; count: number }>(
    `SELECT ${bin(time)} AS start,
        ${series} AS series, count(*)::int AS count
       FROM unnest(${rawFrom}::timestamptz[], ${rawTo}::timestamptz[]) AS s(f, t)
       JOIN ${sql.table} ON ${time} >= s.f AND ${time} < s.t
      WHERE ${sql.where}
      GROUP BY 1, 2
     ${
       rollup
         ? `UNION ALL
     SELECT ${bin('r.hour')}, r.outcome, sum(r.count)::int
       FROM unnest(${hoursFrom}::timestamptz[], ${hoursTo}::timestamptz[]) AS s(f, t)
       JOIN ${rollup.table} r ON r.hour >= s.f AND r.hour < s.t
      WHERE r.count > 0 AND ${rollup.where}
        AND ${STORED_HOUR_SQL}
      GROUP BY 1, 2`
         : ''
     }`,
    params,
  );
  const byStart = new Map<number, Record<string, number>>();
  for (const row of counted.rows) {
    const entry = byStart.get(row.start.getTime()) ?? Object.fromEntries(keys.map((key) => [key, 0]));
    entry[row.series] = (entry[row.series] ?? 0) + row.count;
    byStart.set(row.start.getTime(), entry);
  }
  const buckets = fillBuckets(origin, to, bucketMinutes, byStart, () =>
    Object.fromEntries(keys.map((key) => [key, 0])),
  );
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    bucketMinutes,
    buckets,
    total: counted.rows.reduce((sum, row) => sum + row.count, 0),
  };
}
