// Which (day, cluster) partitions a retention policy drops: every day at least `days` before today (UTC)
// for its cluster's period. Pure, so the Data page, `vigil retention --dry-run` and the job agree.
import { retentionDaysOf, type RetentionPolicy } from './retention-settings';
import type { StoredPartition } from './partitions';

const DAY_MS = 86_400_000;

/** The first day a period keeps: today and the `days - 1` before it. */
export function firstKeptDay(days: number, today: Date): string {
  const midnight = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return new Date(midnight - (days - 1) * DAY_MS).toISOString().slice(0, 10);
}

export function planRetention(policy: RetentionPolicy, partitions: readonly StoredPartition[], today: Date) {
  return partitions.filter((partition) => {
    const days = retentionDaysOf(policy, partition.cluster);
    return days !== null && partition.day < firstKeptDay(days, today);
  });
}
