// The detection engine: it only coordinates. For each rule it reads (rules' settings, the allowlist,
// the rule's candidates and prior windows), evaluates (pure, lib/detections) and hands the writes to
// their owners: alerts to lib/alerts, allowlist hits to lib/allowlist, the run to lib/rules.
import type pg from 'pg';
import { recordDetectedAlert } from '../alerts/record-detected-alert';
import { readActiveAllowlist } from '../allowlist/read-active-allowlist';
import { recordAllowlistHits } from '../allowlist/record-allowlist-hits';
import { evaluateRule } from '../detections/evaluate-rule';
import type { AlertCandidate } from '../detections/types';
import { readRuleSettings } from '../rules/read-rule-settings';
import { recordRuleRun } from '../rules/record-rule-run';
import { readDetectionInput } from './read-detection-input';

export type DetectOptions = {
  from: Date;
  to: Date;
  /** Only these rules (default: every enabled rule). */
  ruleIds?: string[];
  /** Evaluate and report, write nothing (preview / backtest). */
  dryRun?: boolean;
  now?: Date;
};

export type RuleOutcome = {
  ruleId: string;
  eventsScanned: number;
  allowlisted: number;
  created: number;
  updated: number;
  durationMs: number;
  alerts: (AlertCandidate & { alertId: string | null; status: 'created' | 'updated' | 'unchanged' | 'preview' })[];
};

export type DetectResult = {
  from: string;
  to: string;
  dryRun: boolean;
  created: number;
  updated: number;
  rules: RuleOutcome[];
};

/** Runs the rules over [from, to) of event time. Each rule commits on its own, so a failure loses no other rule's work. */
export async function runDetection(pool: pg.Pool, options: DetectOptions): Promise<DetectResult> {
  const range = { from: options.from, to: options.to };
  const dryRun = options.dryRun ?? false;
  const client = await pool.connect();
  try {
    const settings = (await readRuleSettings(client)).filter((setting) =>
      options.ruleIds ? options.ruleIds.includes(setting.rule.id) : setting.enabled,
    );
    const allowlist = await readActiveAllowlist(client, options.now ?? new Date());
    const outcomes: RuleOutcome[] = [];
    for (const { rule, params } of settings) {
      const started = performance.now();
      await client.query('BEGIN');
      try {
        const input = await readDetectionInput(client, rule, params, range);
        const evaluation = evaluateRule(rule, params, input, allowlist, range);
        const outcome: RuleOutcome = {
          ruleId: rule.id,
          eventsScanned: evaluation.eventsScanned,
          allowlisted: evaluation.allowlisted,
          created: 0,
          updated: 0,
          durationMs: 0,
          alerts: [],
        };
        if (dryRun) {
          outcome.alerts = evaluation.candidates.map((candidate) => ({
            ...candidate,
            alertId: null,
            status: 'preview',
          }));
        } else {
          for (const candidate of evaluation.candidates) {
            const recorded = await recordDetectedAlert(client, candidate);
            if (recorded.status === 'created') outcome.created++;
            if (recorded.status === 'updated') outcome.updated++;
            outcome.alerts.push({ ...candidate, alertId: recorded.id, status: recorded.status });
          }
          await recordAllowlistHits(client, evaluation.allowlistHits);
        }
        outcome.durationMs = Math.round(performance.now() - started);
        if (!dryRun) {
          await recordRuleRun(client, {
            ruleId: rule.id,
            ...range,
            durationMs: outcome.durationMs,
            eventsScanned: outcome.eventsScanned,
            alertsCreated: outcome.created,
            alertsUpdated: outcome.updated,
          });
        }
        await client.query(dryRun ? 'ROLLBACK' : 'COMMIT');
        outcomes.push(outcome);
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
    return {
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      dryRun,
      created: outcomes.reduce((total, outcome) => total + outcome.created, 0),
      updated: outcomes.reduce((total, outcome) => total + outcome.updated, 0),
      rules: outcomes,
    };
  } finally {
    client.release();
  }
}
