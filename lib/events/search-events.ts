// The events explorer: a page of audit or file events under a query, newest first by default,
// continued by cursor so page 500 costs what page 1 does.
import type pg from 'pg';
import { auditEvents, LISTED_AUDIT_FIELDS, type AuditEvent } from './audit-event-columns';
import { fileEvents, LISTED_FILE_FIELDS, type FileEvent } from './file-event-columns';
import { OUTCOME_SQL } from './outcome-sql';
import { stagesOf, type RequestStage } from './request-stages';
import { buildEventFilterSql } from './event-filter-sql';
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
  const toRow: (row: Record<string, unknown>) => EventRow = query.kind === 'audit' ? toAuditEventRow : toFileEventRow;
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
