import type pg from 'pg';
import { countAlertsByRule } from '../alerts/count-alerts';
import type { Db } from '../db/client';
import { readStoredTimeRange } from '../events/read-stored-time-range';

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

/** The preview form's default range: all stored events, else the last day (UTC, minute precision for datetime-local). */
export async function defaultPreviewRange(pool: pg.Pool, now = new Date()): Promise<{ from: string; to: string }> {
  const stored = await readStoredTimeRange(pool);
  const minute = (date: Date) => date.toISOString().slice(0, 16);
  return stored
    ? { from: minute(stored.from), to: minute(new Date(stored.to.getTime() + 60_000)) }
    : { from: minute(new Date(now.getTime() - 86_400_000)), to: minute(now) };
}
