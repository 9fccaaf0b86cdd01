import type pg from 'pg';

export type JobState = 'queued' | 'running' | 'retrying' | 'failed';

export type JobRow = {
  id: string;
  task: string;
  state: JobState;
  attempts: number;
  maxAttempts: number;
  runAt: string;
  lastError: string | null;
  payloadRange: string | null;
};

export type JobQueue = { counts: Record<JobState, number>; jobs: JobRow[] };

/** The queue as an operator reads it; a job out of attempts is dead-lettered with its last error kept. */
export async function listJobQueue(pool: pg.Pool, limit = 50): Promise<JobQueue> {
  const result = await pool.query<{
    id: string;
    task_identifier: string;
    attempts: number;
    max_attempts: number;
    run_at: Date;
    last_error: string | null;
    locked_at: Date | null;
    key: string | null;
  }>(
    `SELECT id::text AS id, task_identifier, attempts, max_attempts, run_at, last_error, locked_at, key
       FROM graphile_worker.jobs ORDER BY (attempts >= max_attempts) DESC, run_at DESC LIMIT $1`,
    [limit],
  );
  const totals = await pool.query<{ state: JobState; n: number }>(
    `SELECT CASE WHEN attempts >= max_attempts THEN 'failed' WHEN locked_at IS NOT NULL THEN 'running'
                 WHEN attempts > 0 THEN 'retrying' ELSE 'queued' END AS state, count(*)::int AS n
       FROM graphile_worker.jobs GROUP BY 1`,
  );
  const counts: Record<JobState, number> = { queued: 0, running: 0, retrying: 0, failed: 0 };
  for (const row of totals.rows) counts[row.state] = row.n;
  return {
    counts,
    jobs: result.rows.map((row) => ({
      id: row.id,
      task: row.task_identifier,
      state:
        row.attempts >= row.max_attempts
          ? 'failed'
          : row.locked_at
            ? 'running'
            : row.attempts > 0
              ? 'retrying'
              : 'queued',
      attempts: row.attempts,
      maxAttempts: row.max_attempts,
      runAt: row.run_at.toISOString(),
      lastError: row.last_error,
      payloadRange: row.key,
    })),
  };
}
