// The explorer's histogram: the events its filter selects, per UTC time bucket, over the query's
// range or, without one, from the first match to the last; audit events split by outcome. A filter
// a rollup table can answer (see buildRollupSource) reads its whole hours from it.
import type pg from 'pg';
import { intervalParams, splitByWholeHours } from '../rollups/split-by-hours';
import { alignBucketOrigin, chooseBucketMinutes, fillBuckets } from '../time-range';
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
  const origin = alignBucketOrigin(from, bucketMinutes);
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
        -- Rollups outlive retention; the explorer counts what it can list: hours whose partition is still there.
        AND to_regclass(vigil_partition_name('audit_events', (r.hour AT TIME ZONE 'UTC')::date, r.cluster)) IS NOT NULL
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

// The filters a rollup table answers exactly: per cluster by resource and outcome; per entity (a user,
// source IP or node) by verb, resource and outcome too.
const CLUSTER_FILTERS = new Set(['cluster', 'resource', 'outcome']);
const ENTITY_FILTERS = new Set(['cluster', 'verb', 'resource', 'outcome']);
const ENTITY_KINDS: Record<string, string> = { user: 'user', sourceIp: 'ip', node: 'node' };

/** The rollup table and conditions that answer the filter's whole hours, or null when none can. */
function buildRollupSource(filter: EventQuery['filter'], param: (value: unknown) => string) {
  const given = Object.entries(filter).filter((entry): entry is [string, string] => entry[1] !== undefined);
  if (given.some(([, value]) => value.includes('*'))) return null;
  const entities = given.filter(([field]) => field in ENTITY_KINDS);
  if (entities.length > 1) return null;
  const [entity] = entities;
  const allowed = entity ? ENTITY_FILTERS : CLUSTER_FILTERS;
  if (given.some(([field]) => field !== entity?.[0] && !allowed.has(field))) return null;
  const where = given
    .filter(([field]) => field !== entity?.[0])
    .map(([field, value]) => `r.${field} = ${param(value)}`);
  if (entity)
    where.push(
      `r.entity_kind = '${ENTITY_KINDS[entity[0]]}'`,
      `r.entity_namespace = ''`,
      `r.entity_name = ${param(entity[1])}`,
    );
  return { table: entity ? 'entity_rollups' : 'cluster_rollups', where: where.join(' AND ') || 'TRUE' };
}
