// The events explorer: a page of audit or file events under a query, newest first by default,
// continued by cursor so page 500 costs what page 1 does.
import type pg from 'pg';
import { auditEvents, LISTED_AUDIT_FIELDS, type AuditEvent } from './audit-event-columns';
import { fileEvents, LISTED_FILE_FIELDS, type FileEvent } from './file-event-columns';
import { OUTCOME_SQL } from './outcome-sql';
import { stagesOf, type RequestStage } from './request-stages';
import { intervalParams, splitOpenRange } from '../rollups/split-by-hours';
import { buildEventFilterSql } from './event-filter-sql';
import { buildRollupSource, narrowsByFilter, STORED_HOUR_SQL, type RollupSource } from './event-rollup-source';
import type { EventQuery, Outcome } from './schemas';

type StageTime = 'receivedAt' | 'startedAt' | 'completedAt' | 'panickedAt';

/** A request as the explorer, evidence lists and exports show it (times as ISO text, for the browser). */
export type AuditEventRow = Omit<Pick<AuditEvent, (typeof LISTED_AUDIT_FIELDS)[number]>, 'time' | StageTime> & {
  kind: 'audit';
  time: string;
} & Record<StageTime, string | null> & {
    /** The stages the request was logged at, in lifecycle order. */
    stages: RequestStage[];
    outcome: Outcome;
  };

export type FileEventRow = Omit<Pick<FileEvent, (typeof LISTED_FILE_FIELDS)[number]>, 'time'> & {
  kind: 'file';
  time: string;
};

export type EventRow = AuditEventRow | FileEventRow;

export const AUDIT_EVENT_COLUMNS = `${auditEvents.select(LISTED_AUDIT_FIELDS)}, ${OUTCOME_SQL} AS outcome`;
export const FILE_EVENT_COLUMNS = fileEvents.select(LISTED_FILE_FIELDS);

const iso = (time: Date | null) => time?.toISOString() ?? null;

/** A row selected with AUDIT_EVENT_COLUMNS. */
export function toAuditEventRow(row: Record<string, unknown>): AuditEventRow {
  const event = auditEvents.read(row, LISTED_AUDIT_FIELDS);
  return {
    ...event,
    kind: 'audit',
    time: event.time.toISOString(),
    receivedAt: iso(event.receivedAt),
    startedAt: iso(event.startedAt),
    completedAt: iso(event.completedAt),
    panickedAt: iso(event.panickedAt),
    stages: stagesOf(event),
    outcome: row.outcome as Outcome,
  };
}

/** A row selected with FILE_EVENT_COLUMNS. */
export function toFileEventRow(row: Record<string, unknown>): FileEventRow {
  const event = fileEvents.read(row, LISTED_FILE_FIELDS);
  return { ...event, kind: 'file', time: event.time.toISOString() };
}

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
  const param = (value: unknown) => `$${page.params.push(value)}`;
  const rollup = narrowsByFilter(query) ? buildRollupSource(query.filter, param) : null;
  const where = rollup ? `${page.where} AND ${pageBoundSql(query, rollup, param)}` : page.where;
  const columns = query.kind === 'audit' ? AUDIT_EVENT_COLUMNS : FILE_EVENT_COLUMNS;
  // Times are stored to the microsecond, a JS Date keeps the millisecond: the cursor takes the
  // stored time, or rows in the same millisecond would be skipped (desc) or repeated (asc).
  const cursorTime = `to_char(${page.alias}.time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_time`;
  const [rows, total] = await Promise.all([
    pool.query(
      `SELECT ${columns}, ${cursorTime} FROM ${page.table} WHERE ${where} ORDER BY ${page.order}
        LIMIT ${query.pageSize + 1}`,
      page.params,
    ),
    countMatches(pool, query),
  ]);
  const more = rows.rows.length > query.pageSize;
  const toRow: (row: Record<string, unknown>) => EventRow = query.kind === 'audit' ? toAuditEventRow : toFileEventRow;
  const kept = rows.rows.slice(0, query.pageSize).map(toRow);
  return {
    kind: query.kind,
    rows: kept,
    total: Math.min(total, COUNT_LIMIT),
    totalIsLowerBound: total > COUNT_LIMIT,
    nextCursor: more ? eventCursor({ time: rows.rows[query.pageSize - 1].cursor_time, id: kept.at(-1)!.id }) : null,
  };
}

/**
 * How far back (desc) or forward (asc) the page needs to read: the nearest rolled-up hour by which the
 * whole hours past the cursor hold a page and one more row of matches, else the farthest hour with a
 * match at all. Without it the index walk of a rare match reads every row of the user.
 */
function pageBoundSql(query: EventQuery, rollup: RollupSource, param: (value: unknown) => string): string {
  const need = param(query.pageSize + 1);
  const hours = [rollup.where, 'r.count > 0', STORED_HOUR_SQL];
  const desc = query.order !== 'asc';
  // Counted toward the page: only hours wholly past the cursor. The range's far edge may be a partial
  // hour: reaching it means there is nothing farther to read anyway.
  const near = desc ? (query.cursor?.time ?? query.to) : (query.cursor?.time ?? query.from);
  const nearParam = near && param(near);
  if (desc) {
    if (nearParam) hours.push(`r.hour <= ${nearParam}::timestamptz - interval '1 hour'`);
    if (query.from) hours.push(`r.hour >= date_trunc('hour', ${param(query.from)}::timestamptz)`);
  } else {
    if (nearParam) hours.push(`r.hour ${query.cursor ? '>' : '>='} ${nearParam}::timestamptz`);
    if (query.to) hours.push(`r.hour < ${param(query.to)}::timestamptz`);
  }
  const [reached, farthest] = desc ? ['max', 'min'] : ['min', 'max'];
  const bound = `(SELECT coalesce(${reached}(x.hour) FILTER (WHERE x.running >= ${need}), ${farthest}(x.hour)) FROM (
      SELECT r.hour, sum(sum(r.count)) OVER (ORDER BY r.hour ${desc ? 'DESC' : 'ASC'}) AS running
        FROM ${rollup.table} r WHERE ${hours.join(' AND ')} GROUP BY r.hour) x)`;
  // No whole hour past the cursor matches: only the partial hour next to it can.
  const nearHour = nearParam ? `date_trunc('hour', ${nearParam}::timestamptz)` : null;
  return desc
    ? `e.time >= coalesce(${bound}, ${nearHour ?? `'infinity'`})`
    : `e.time < coalesce(${bound}, ${nearHour ?? `'-infinity'`}) + interval '1 hour'`;
}

/** Matches under the filter, ignoring the cursor, counted up to past COUNT_LIMIT: whole hours from the rollups when they can answer. */
async function countMatches(pool: pg.Pool, query: EventQuery): Promise<number> {
  const all = { ...query, cursor: undefined };
  const split = splitOpenRange(query.from ? new Date(query.from) : null, query.to ? new Date(query.to) : null);
  if (!narrowsByFilter(query) || !split.hours) return countRaw(pool, buildEventFilterSql(all));
  const sql = buildEventFilterSql({ ...all, from: undefined, to: undefined });
  const param = (value: unknown) => `$${sql.params.push(value)}`;
  const rollup = buildRollupSource(query.filter, param);
  if (!rollup) return countRaw(pool, buildEventFilterSql(all));
  const hours = [rollup.where, STORED_HOUR_SQL];
  if (split.hours.from) hours.push(`r.hour >= ${param(split.hours.from)}`);
  if (split.hours.to) hours.push(`r.hour < ${param(split.hours.to)}`);
  const [rawFrom, rawTo] = intervalParams(split.raw).map(param);
  const result = await pool.query<{ count: string }>(
    `SELECT (SELECT coalesce(sum(r.count), 0) FROM ${rollup.table} r WHERE ${hours.join(' AND ')})
        + (SELECT count(*) FROM (
        SELECT 1 FROM unnest(${rawFrom}::timestamptz[], ${rawTo}::timestamptz[]) AS s(f, t)
          JOIN ${sql.table} ON e.time >= s.f AND e.time < s.t
         WHERE ${sql.where} LIMIT ${COUNT_LIMIT + 1}) m) AS count`,
    sql.params,
  );
  return Number(result.rows[0]!.count);
}

async function countRaw(pool: pg.Pool, sql: ReturnType<typeof buildEventFilterSql>): Promise<number> {
  const result = await pool.query<{ count: string }>(
    `SELECT count(*) AS count FROM (SELECT 1 FROM ${sql.table} WHERE ${sql.where} LIMIT ${COUNT_LIMIT + 1}) m`,
    sql.params,
  );
  return Number(result.rows[0]!.count);
}
