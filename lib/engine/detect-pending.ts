// What detection still has to see (detect_pending: a range per cluster, the union of what ingest
// stored) and what a running detect job took of it (detect_claims: kept if the job dies, so its retry,
// or the cluster's next job, detects it still).
import type pg from 'pg';
import { withTransaction } from '../db/with-transaction';
import type { TimeRange } from './read-detection-input';

/** A detect job waits this long after the last chunk of its cluster... */
export const DETECT_DELAY_MS = 2_000;
/** ...but no longer than this after the first one it has not seen, so a steady stream is detected still. */
export const DETECT_MAX_WAIT_MS = 10_000;

/**
 * Inside the ingest chunk's transaction: the cluster's events in [from, to) wait for detection. Returns
 * when the cluster's detect job should run.
 */
export async function markDetectionPending(client: pg.ClientBase, cluster: string, range: TimeRange): Promise<Date> {
  const result = await client.query<{ run_at: Date }>(
    `INSERT INTO detect_pending (cluster, from_time, to_time) VALUES ($1, $2, $3)
     ON CONFLICT (cluster) DO UPDATE SET from_time = LEAST(detect_pending.from_time, EXCLUDED.from_time),
                                         to_time = GREATEST(detect_pending.to_time, EXCLUDED.to_time)
     RETURNING LEAST(now() + make_interval(secs => $4::double precision / 1000),
                     first_pending_at + make_interval(secs => $5::double precision / 1000)) AS run_at`,
    [cluster, range.from, range.to, DETECT_DELAY_MS, DETECT_MAX_WAIT_MS],
  );
  return result.rows[0]!.run_at;
}

function union(ranges: { from_time: Date; to_time: Date }[]): TimeRange | null {
  if (ranges.length === 0) return null;
  return {
    from: new Date(Math.min(...ranges.map((range) => range.from_time.getTime()))),
    to: new Date(Math.max(...ranges.map((range) => range.to_time.getTime()))),
  };
}

/**
 * Takes the cluster's pending range for job `jobId`, with what this job took on an earlier attempt and
 * what jobs that failed for good left behind. null: nothing to detect.
 */
export async function claimPendingDetection(pool: pg.Pool, cluster: string, jobId: string): Promise<TimeRange | null> {
  return withTransaction(pool, async (client) => {
    const pending = await client.query<{ from_time: Date; to_time: Date }>(
      `DELETE FROM detect_pending WHERE cluster = $1 RETURNING from_time, to_time`,
      [cluster],
    );
    const claimed = await client.query<{ from_time: Date; to_time: Date }>(
      `DELETE FROM detect_claims c
        WHERE c.cluster = $1 AND (c.job_id = $2 OR NOT EXISTS (
          SELECT 1 FROM graphile_worker._private_jobs j WHERE j.id = c.job_id AND j.attempts < j.max_attempts))
        RETURNING from_time, to_time`,
      [cluster, jobId],
    );
    const range = union([...pending.rows, ...claimed.rows]);
    if (range) {
      await client.query(`INSERT INTO detect_claims (job_id, cluster, from_time, to_time) VALUES ($1, $2, $3, $4)`, [
        jobId,
        cluster,
        range.from,
        range.to,
      ]);
    }
    return range;
  });
}

/** The job detected what it claimed. */
export async function releaseDetectionClaim(pool: pg.Pool, jobId: string) {
  await pool.query(`DELETE FROM detect_claims WHERE job_id = $1`, [jobId]);
}

/** Clusters with events waiting, and how long the oldest has waited: the health page's detection lag. */
export async function readPendingDetection(client: pg.Pool | pg.ClientBase) {
  const result = await client.query<{ clusters: string; oldest: Date | null }>(
    `SELECT count(*) AS clusters, min(first_pending_at) AS oldest
       FROM (SELECT first_pending_at FROM detect_pending UNION ALL SELECT claimed_at FROM detect_claims) waiting`,
  );
  return { clusters: Number(result.rows[0]!.clusters), oldest: result.rows[0]!.oldest };
}
