// The worker's storage upkeep: retention once a day, and partitions made ahead of live data (so the
// first chunk of a new day never waits on creating them).
import type pg from 'pg';
import { z } from 'zod';
import { getEnv } from '../env';
import { defineJob } from '../jobs/define-job';
import { dayOf, ensurePartitions, listPartitions } from './partitions';
import { RETENTION_HOUR_UTC, runRetention } from './run-retention';

export const retentionJob = defineJob({
  name: 'retention',
  // graphile-worker's crontab hands its own `_cron` details.
  payload: z.looseObject({}),
  maxAttempts: 3,
  async run(_payload, { pool, log }) {
    const result = await runRetention(pool, { environmentDays: getEnv().VIGIL_RETENTION_DAYS });
    if (result.dropped.length + result.finished > 0)
      log(`retention: dropped ${result.dropped.length} (day, cluster) partition(s) in ${result.durationMs} ms`);
  },
});

export const RETENTION_CRONTAB = `15 ${RETENTION_HOUR_UTC} * * * ${retentionJob.name} ?max=1`;

const DAYS_AHEAD = 2;
const DAY_MS = 86_400_000;

/** Today's and the next days' partitions for every cluster that stored events in the last three days. */
export async function ensurePartitionsAhead(pool: pg.Pool, now = new Date()): Promise<number> {
  const recent = dayOf(new Date(now.getTime() - 3 * DAY_MS));
  const clusters = [...new Set((await listPartitions(pool)).filter((p) => p.day >= recent).map((p) => p.cluster))];
  const days = Array.from({ length: DAYS_AHEAD + 1 }, (_, index) => dayOf(new Date(now.getTime() + index * DAY_MS)));
  return ensurePartitions(
    pool,
    clusters.flatMap((cluster) => days.map((day) => ({ day, cluster }))),
  );
}
