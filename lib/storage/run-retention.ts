// The retention run: drops the (day, cluster) partitions the policy no longer keeps, never a row
// DELETE, and records what it dropped (retention_runs). Alert evidence lives in its own tables and
// stays; rollups are kept in theirs. Finishes first what a killed run left half done.
import type pg from 'pg';
import { dropPartition, finishDroppedPartitions, listPartitions, type StoredPartition } from './partitions';
import { planRetention } from './plan-retention';
import { readRetentionPolicy } from './retention-settings';

export type RetentionResult = { dropped: StoredPartition[]; finished: number; dryRun: boolean; durationMs: number };

/** The hour (UTC) the worker runs retention every day. */
export const RETENTION_HOUR_UTC = 3;

export async function runRetention(
  pool: pg.Pool,
  options: { environmentDays: number | undefined; dryRun?: boolean; now?: Date },
): Promise<RetentionResult> {
  const started = performance.now();
  const policy = await readRetentionPolicy(pool, options.environmentDays);
  const plan = planRetention(policy, await listPartitions(pool), options.now ?? new Date());
  if (options.dryRun)
    return { dropped: plan, finished: 0, dryRun: true, durationMs: Math.round(performance.now() - started) };
  const run = await pool.query<{ id: string }>(`INSERT INTO retention_runs DEFAULT VALUES RETURNING id`);
  const id = run.rows[0]!.id;
  const dropped: StoredPartition[] = [];
  try {
    const finished = await finishDroppedPartitions(pool);
    for (const partition of plan) {
      await dropPartition(pool, partition);
      dropped.push(partition);
    }
    await pool.query(`UPDATE retention_runs SET finished_at = now(), dropped = $2 WHERE id = $1`, [
      id,
      JSON.stringify(dropped),
    ]);
    return { dropped, finished, dryRun: false, durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    await pool
      .query(`UPDATE retention_runs SET finished_at = now(), dropped = $2, error = $3 WHERE id = $1`, [
        id,
        JSON.stringify(dropped),
        (error as Error).message,
      ])
      .catch(() => {});
    throw error;
  }
}

/** The last runs, newest first, for the Data page. */
export async function listRetentionRuns(pool: pg.Pool, limit = 10) {
  const result = await pool.query<{
    started_at: Date;
    finished_at: Date | null;
    dropped: StoredPartition[];
    error: string | null;
  }>(`SELECT started_at, finished_at, dropped, error FROM retention_runs ORDER BY started_at DESC LIMIT $1`, [limit]);
  return result.rows.map((row) => ({
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    dropped: row.dropped,
    error: row.error,
  }));
}
