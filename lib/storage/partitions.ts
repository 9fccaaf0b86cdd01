// The day partitions of the event tables (audit_events, audit_event_originals, file_events): created
// before rows of a day are written (uploads of last year's logs included) and ahead of live data by the
// worker. There is no default partition: a row of a day without one is refused, never dropped.
import type pg from 'pg';

type Queryable = Pick<pg.Pool, 'query'>;

// Days known to have their partitions, per pool: a chunk of one day checks the database once.
const knownDays = new WeakMap<Queryable, Set<string>>();

/** The UTC day of a time, YYYY-MM-DD. */
export function dayOf(time: string | Date): string {
  return (typeof time === 'string' ? new Date(time) : time).toISOString().slice(0, 10);
}

/** Makes sure every day of `times` has its partitions; returns how many were created. Outside any transaction. */
export async function ensureDayPartitions(db: Queryable, times: Iterable<string | Date>): Promise<number> {
  const known = knownDays.get(db) ?? new Set<string>();
  knownDays.set(db, known);
  const missing = [...new Set([...times].map(dayOf))].filter((day) => !known.has(day)).sort();
  if (missing.length === 0) return 0;
  const result = await db.query<{ created: number }>(
    `SELECT coalesce(sum(vigil_ensure_day_partitions(day)), 0)::int AS created FROM unnest($1::date[]) AS d(day)`,
    [missing],
  );
  for (const day of missing) known.add(day);
  return result.rows[0]!.created;
}

/** Forgets what this process knew, after partitions were dropped (retention) or a write found one missing. */
export function forgetDayPartitions(db: Queryable) {
  knownDays.delete(db);
}

/** PostgreSQL's answer to a row whose day has no partition. */
export function isMissingPartition(error: unknown): boolean {
  return (error as { code?: string }).code === '23514' && /no partition of relation/.test(String(error));
}
