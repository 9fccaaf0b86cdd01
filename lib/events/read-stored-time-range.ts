import type pg from 'pg';

/** The event-time range of everything stored, audit and file events, for "detect over all data". */
export async function readStoredTimeRange(pool: pg.Pool | pg.ClientBase): Promise<{ from: Date; to: Date } | null> {
  const result = await pool.query<{ min: Date | null; max: Date | null }>(
    `SELECT least((SELECT min(time) FROM audit_events), (SELECT min(time) FROM file_events)) AS min,
            greatest((SELECT max(time) FROM audit_events), (SELECT max(time) FROM file_events)) AS max`,
  );
  const { min, max } = result.rows[0]!;
  return min && max ? { from: min, to: new Date(max.getTime() + 1) } : null;
}
