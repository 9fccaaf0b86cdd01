// What the Data page shows: the space raw events take per day and per cluster, the policy, the oldest
// day kept, when retention runs next and what it would drop, and its last runs.
import type pg from 'pg';
import { listPartitions } from './partitions';
import { planRetention } from './plan-retention';
import { readRetentionPolicy } from './retention-settings';
import { listRetentionRuns, RETENTION_HOUR_UTC } from './run-retention';

/** The next daily run (15 past the retention hour, UTC). */
export function nextRetentionRun(now: Date): Date {
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), RETENTION_HOUR_UTC, 15));
  return next > now ? next : new Date(next.getTime() + 86_400_000);
}

export async function readDataOverview(pool: pg.Pool, environmentDays: number | undefined, now = new Date()) {
  const [policy, partitions, runs] = await Promise.all([
    readRetentionPolicy(pool, environmentDays),
    listPartitions(pool),
    listRetentionRuns(pool),
  ]);
  const nextRun = nextRetentionRun(now);
  const days = [...new Set(partitions.map((p) => p.day))].sort().reverse();
  const clusters = [...new Set(partitions.map((p) => p.cluster))].sort();
  return {
    policy: { days: policy.days, source: policy.source, clusters: Object.fromEntries(policy.clusters) },
    totalBytes: partitions.reduce((total, p) => total + p.bytes, 0),
    oldestDay: days.at(-1) ?? null,
    clusters,
    days: days.map((day) => ({
      day,
      bytes: partitions.filter((p) => p.day === day).reduce((total, p) => total + p.bytes, 0),
      byCluster: Object.fromEntries(partitions.filter((p) => p.day === day).map((p) => [p.cluster, p.bytes])),
    })),
    nextRun: { at: nextRun.toISOString(), drops: planRetention(policy, partitions, nextRun) },
    runs,
  };
}
export type DataOverview = Awaited<ReturnType<typeof readDataOverview>>;
