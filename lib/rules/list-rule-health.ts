import type pg from 'pg';
import { countAlertsByRule } from '../alerts/count-alerts';
import type { Db } from '../db/client';
import { readStoredTimeRange } from '../events/read-stored-time-range';
import { PREVIEW_MAX_DAYS } from './schemas';

export type RuleHealth = {
  ruleId: string;
  lastRun: {
    startedAt: string;
    durationMs: number | null;
    rangeFrom: string;
    rangeTo: string;
    eventsScanned: number;
    alertsCreated: number;
    alertsUpdated: number;
    error: string | null;
  } | null;
  runs: number;
  /** count-alerts' counts: open, acknowledged, and all (withdrawn left out), as the queue lists them. */
  openAlerts: number;
  acknowledgedAlerts: number;
  totalAlerts: number;
};

/** Per rule: its latest run and its alert counts. */
export async function listRuleHealth(db: Db): Promise<RuleHealth[]> {
  const [rules, lastRuns, runCounts, alertCounts] = await Promise.all([
    db.rule.findMany({ select: { id: true }, orderBy: { createdAt: 'asc' } }),
    db.ruleRun.findMany({ distinct: ['ruleId'], orderBy: [{ ruleId: 'asc' }, { startedAt: 'desc' }] }),
    db.ruleRun.groupBy({ by: ['ruleId'], _count: { _all: true } }),
    countAlertsByRule(db),
  ]);
  return rules.map(({ id }) => {
    const alerts = alertCounts.find((count) => count.ruleId === id);
    const run = lastRuns.find((candidate) => candidate.ruleId === id);
    return {
      ruleId: id,
      lastRun: run
        ? {
            startedAt: run.startedAt.toISOString(),
            durationMs: run.finishedAt ? run.finishedAt.getTime() - run.startedAt.getTime() : null,
            rangeFrom: run.rangeFrom.toISOString(),
            rangeTo: run.rangeTo.toISOString(),
            eventsScanned: run.eventsScanned,
            alertsCreated: run.alertsCreated,
            alertsUpdated: run.alertsUpdated,
            error: run.error,
          }
        : null,
      runs: runCounts.find((count) => count.ruleId === id)?._count._all ?? 0,
      openAlerts: alerts?.open ?? 0,
      acknowledgedAlerts: alerts?.acknowledged ?? 0,
      totalAlerts: alerts?.all ?? 0,
    };
  });
}

/** The preview form's default range (UTC, to the minute): see choosePreviewRange. */
export async function defaultPreviewRange(pool: pg.Pool, now = new Date()): Promise<{ from: string; to: string }> {
  return choosePreviewRange(await readStoredTimeRange(pool), now);
}

/**
 * The stored data's newest PREVIEW_MAX_DAYS, to the minute (the last day before now when nothing is stored):
 * a store that spans months (an old export uploaded) still opens on a range the preview accepts.
 */
export function choosePreviewRange(stored: { from: Date; to: Date } | null, now: Date): { from: string; to: string } {
  const minute = (time: number) => Math.floor(time / 60_000) * 60_000;
  const to = stored ? minute(stored.to.getTime()) + 60_000 : minute(now.getTime());
  const earliest = to - (stored ? PREVIEW_MAX_DAYS : 1) * 86_400_000;
  const from = stored ? Math.max(minute(stored.from.getTime()), earliest) : earliest;
  const text = (time: number) => new Date(time).toISOString().slice(0, 16);
  return { from: text(from), to: text(to) };
}
