// An admin changes a retention period. A change that makes stored events due for dropping at the next
// run must be confirmed (the console asks, the API wants `confirm: true`): the events cannot come back.
import type pg from 'pg';
import { AppError } from '../app-error';
import { listPartitions } from './partitions';
import { planRetention } from './plan-retention';
import { readRetentionPolicy, writeRetentionSetting, type RetentionPolicy } from './retention-settings';
import type { RetentionChange } from './schemas';

export type RetentionImpact = { partitions: number; days: number; clusters: string[]; bytes: number; rows: number };

function withChange(policy: RetentionPolicy, change: RetentionChange): RetentionPolicy {
  const clusters = new Map(policy.clusters);
  if (change.scope === '*') return { ...policy, days: change.days ?? null, clusters };
  if (change.days === null) clusters.delete(change.scope);
  else clusters.set(change.scope, change.days);
  return { ...policy, clusters };
}

/** What a run now would drop under the changed policy that it would not drop under today's. */
export async function previewRetentionChange(
  pool: pg.Pool,
  change: RetentionChange,
  environmentDays: number | undefined,
  now = new Date(),
): Promise<RetentionImpact> {
  const policy = await readRetentionPolicy(pool, environmentDays);
  const partitions = await listPartitions(pool);
  const before = new Set(planRetention(policy, partitions, now).map((p) => `${p.day}/${p.cluster}`));
  const added = planRetention(withChange(policy, change), partitions, now).filter(
    (p) => !before.has(`${p.day}/${p.cluster}`),
  );
  return {
    partitions: added.length,
    days: new Set(added.map((p) => p.day)).size,
    clusters: [...new Set(added.map((p) => p.cluster))].sort(),
    bytes: added.reduce((total, p) => total + p.bytes, 0),
    rows: added.reduce((total, p) => total + p.rows, 0),
  };
}

export function describeRetentionImpact(impact: RetentionImpact): string {
  const gigabytes = (impact.bytes / 1024 ** 3).toFixed(2);
  return `this makes ${impact.days} stored day(s) of raw events of ${impact.clusters.join(', ')} (about ${Math.round(impact.rows).toLocaleString('en-US')} requests, ${gigabytes} GB) due for dropping: the next retention run drops them; alert evidence stays`;
}

export async function changeRetention(
  pool: pg.Pool,
  change: RetentionChange,
  actor: { id: string | null; name: string },
  environmentDays: number | undefined,
): Promise<RetentionImpact> {
  const impact = await previewRetentionChange(pool, change, environmentDays);
  if (impact.partitions > 0 && !change.confirm)
    throw new AppError('conflict', `${describeRetentionImpact(impact)}: send confirm: true to go ahead`, { impact });
  await writeRetentionSetting(pool, change.scope, change.days, actor);
  return impact;
}
