import { describe, expect, it } from 'vitest';
import { firstKeptDay, planRetention } from '../../../lib/storage/plan-retention';
import type { RetentionPolicy } from '../../../lib/storage/retention-settings';

const today = new Date('2026-12-02T15:00:00Z');
const partition = (day: string, cluster: string) => ({ day, cluster, bytes: 1, rows: 1 });
const stored = ['2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02'].flatMap((day) => [
  partition(day, 'prod'),
  partition(day, 'dev'),
]);
const policy = (days: number | null, clusters: [string, number][] = []): RetentionPolicy => ({
  days,
  source: 'setting',
  clusters: new Map(clusters),
});

describe('planRetention', () => {
  it('keeps today and the days before it up to the period, per cluster', () => {
    expect(firstKeptDay(3, today)).toBe('2026-11-30');
    expect(firstKeptDay(1, today)).toBe('2026-12-02');
    const plan = planRetention(policy(3, [['dev', 1]]), stored, today);
    expect(plan.map((p) => `${p.day} ${p.cluster}`)).toEqual([
      '2026-11-28 prod',
      '2026-11-28 dev',
      '2026-11-29 prod',
      '2026-11-29 dev',
      '2026-11-30 dev',
      '2026-12-01 dev',
    ]);
  });

  it('keeps everything without a period, and a cluster with a longer one keeps its days', () => {
    expect(planRetention(policy(null), stored, today)).toEqual([]);
    expect(planRetention(policy(null, [['dev', 2]]), stored, today).map((p) => `${p.day} ${p.cluster}`)).toEqual([
      '2026-11-28 dev',
      '2026-11-29 dev',
      '2026-11-30 dev',
    ]);
    expect(planRetention(policy(1, [['prod', 30]]), stored, today).every((p) => p.cluster === 'dev')).toBe(true);
  });
});
