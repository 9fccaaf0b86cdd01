// The detection engine: it only coordinates. Given the event-time range some stored events changed
// in, each rule recomputes exactly what those events can change (recompute-windowed.ts,
// recompute-sequence.ts) under a lock per group, so concurrent runs, slices, late events and re-runs
// all end at what one run over everything gives. Writes go to their owners: alerts to lib/alerts,
// allowlist hits to lib/allowlist, runs and rebuilds to lib/rules.
import type pg from 'pg';
import { listAlertGroups } from '../alerts/list-alert-groups';
import { replaceDetectedAlerts, type ReplacedAlerts } from '../alerts/replace-detected-alerts';
import type { CompiledEntry } from '../allowlist/match-allowlist';
import { readActiveAllowlist } from '../allowlist/read-active-allowlist';
import { recordAllowlistHits, type AllowlistHit } from '../allowlist/record-allowlist-hits';
import { withRetriedTransaction } from '../db/with-transaction';
import { evaluateRule, listChangedGroups, matchEvents, type ChangedGroup } from '../detections/evaluate-rule';
import type { AlertCandidate, SequenceRule, WindowedRule } from '../detections/types';
import { readStoredTimeRange } from '../events/read-stored-time-range';
import { readRuleSettings, type RuleSettings } from '../rules/read-rule-settings';
import { recordRuleRebuilt, recordRuleRun } from '../rules/record-rule-run';
import { listWindowGroups, replaceWindows } from './detection-windows';
import { readAuditCandidates, readFileCandidates, type TimeRange } from './read-detection-input';
import { recomputeGroup } from '../detections/recompute-group';
import { databaseGroupStore } from './database-group-store';
import { databaseSequenceStore } from './database-sequence-store';
import { recomputeSequences, sequencesTouchedBy } from '../detections/recompute-sequences';

export type DetectOptions = {
  /** The event-time range stored events changed in: [from, to). */
  from: Date;
  to: Date;
  /** Only events of this cluster changed (default: any). */
  cluster?: string;
  /** Only these rules (default: every enabled rule). */
  ruleIds?: string[];
  /** One run over [from, to) alone, nothing written (preview / backtest). */
  dryRun?: boolean;
  now?: Date;
};

export type RuleOutcome = {
  ruleId: string;
  eventsScanned: number;
  allowlisted: number;
  created: number;
  updated: number;
  withdrawn: number;
  durationMs: number;
  alerts: (AlertCandidate & { alertId: string | null; status: 'created' | 'updated' | 'unchanged' | 'preview' })[];
};

export type DetectResult = {
  from: string;
  to: string;
  dryRun: boolean;
  created: number;
  updated: number;
  withdrawn: number;
  rules: RuleOutcome[];
};

/** Groups recomputed per transaction: bounded so that a rebuild holds a bounded number of locks. */
const GROUPS_PER_TRANSACTION = 200;
const DAY_MS = 86_400_000;

type Tally = Omit<RuleOutcome, 'ruleId' | 'durationMs'>;

function newTally(): Tally {
  return { eventsScanned: 0, allowlisted: 0, created: 0, updated: 0, withdrawn: 0, alerts: [] };
}

function addReplaced(tally: Tally, replaced: ReplacedAlerts & { eventsRead: number }) {
  tally.eventsScanned += replaced.eventsRead;
  tally.withdrawn += replaced.withdrawn;
  for (const alert of replaced.alerts) {
    if (alert.status === 'created') tally.created++;
    if (alert.status === 'updated') tally.updated++;
    if (alert.status !== 'unchanged')
      tally.alerts.push({ ...alert.candidate, alertId: alert.id, status: alert.status });
  }
}

function countHits(hits: Map<string, AllowlistHit>) {
  return [...hits.values()].reduce((total, hit) => total + hit.count, 0);
}

/** Serializes recomputations of the same group (or of a whole sequence rule) across workers. */
async function lockGroups(client: pg.ClientBase, ruleId: string, keys: readonly string[]) {
  // Sorted, so two transactions locking overlapping sets never wait on each other in a cycle.
  const names = keys.map((key) => `${ruleId}\n${key}`).sort();
  await client.query(`SELECT pg_advisory_xact_lock(hashtextextended(name, 0)) FROM unnest($1::text[]) AS name`, [
    names,
  ]);
}

async function recomputeGroups(
  pool: pg.Pool,
  setting: RuleSettings & { rule: WindowedRule<Record<string, number>> },
  allowlist: readonly CompiledEntry[],
  groups: readonly ChangedGroup[],
  storedTo: Date,
  tally: Tally,
  options: { fromStart?: boolean } = {},
) {
  const context = { rule: setting.rule, params: setting.params, allowlist, storedTo };
  for (let index = 0; index < groups.length; index += GROUPS_PER_TRANSACTION) {
    const batch = groups.slice(index, index + GROUPS_PER_TRANSACTION);
    const results = await withRetriedTransaction(pool, async (client) => {
      await lockGroups(
        client,
        setting.rule.id,
        batch.map((group) => group.key),
      );
      const store = databaseGroupStore(client, setting.rule);
      const replaced = [];
      for (const group of batch) {
        const result = await recomputeGroup(store, context, group, options);
        replaced.push({ ...result.replaced, eventsRead: result.eventsRead });
      }
      return replaced;
    });
    for (const replaced of results) addReplaced(tally, replaced);
  }
}

async function detectWindowed(
  pool: pg.Pool,
  setting: RuleSettings & { rule: WindowedRule<Record<string, number>> },
  allowlist: readonly CompiledEntry[],
  range: TimeRange & { cluster?: string },
  storedTo: Date,
) {
  const tally = newTally();
  const changed = await readAuditCandidates(pool, setting.rule, range);
  const matched = matchEvents(setting.rule, setting.params, changed, allowlist);
  tally.eventsScanned += changed.length;
  tally.allowlisted = countHits(matched.allowlistHits);
  const groups = listChangedGroups(setting.rule, setting.params, matched.events);
  await recomputeGroups(pool, setting, allowlist, groups, storedTo, tally);
  return { tally, hits: matched.allowlistHits };
}

async function detectSequences(
  pool: pg.Pool,
  setting: RuleSettings & { rule: SequenceRule<Record<string, number>> },
  allowlist: readonly CompiledEntry[],
  opening: { from: Date | null; until: Date | 'end' },
  read: TimeRange,
) {
  const tally = newTally();
  const context = { rule: setting.rule, params: setting.params, allowlist };
  const result = await withRetriedTransaction(pool, async (client) => {
    await lockGroups(client, setting.rule.id, ['']);
    return recomputeSequences(databaseSequenceStore(client, setting.rule), context, opening, read);
  });
  addReplaced(tally, { ...result.replaced, eventsRead: result.eventsRead });
  return { tally, hits: new Map<string, AllowlistHit>() };
}

async function recordOutcome(
  pool: pg.Pool,
  ruleId: string,
  range: TimeRange,
  started: number,
  result: { tally: Tally; hits: Map<string, AllowlistHit> },
): Promise<RuleOutcome> {
  const outcome = { ruleId, ...result.tally, durationMs: Math.round(performance.now() - started) };
  await withRetriedTransaction(pool, async (client) => {
    await recordAllowlistHits(client, result.hits);
    await recordRuleRun(client, {
      ruleId,
      ...range,
      durationMs: outcome.durationMs,
      eventsScanned: outcome.eventsScanned,
      alertsCreated: outcome.created,
      alertsUpdated: outcome.updated,
    });
  });
  return outcome;
}

function summarize(range: TimeRange, dryRun: boolean, outcomes: RuleOutcome[]): DetectResult {
  const total = (pick: (outcome: RuleOutcome) => number) => outcomes.reduce((sum, outcome) => sum + pick(outcome), 0);
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    dryRun,
    created: total((outcome) => outcome.created),
    updated: total((outcome) => outcome.updated),
    withdrawn: total((outcome) => outcome.withdrawn),
    rules: outcomes,
  };
}

async function readSettings(pool: pg.Pool, ruleIds: string[] | undefined, now: Date | undefined) {
  const client = await pool.connect();
  try {
    const settings = (await readRuleSettings(client)).filter((setting) =>
      ruleIds ? ruleIds.includes(setting.rule.id) : setting.enabled,
    );
    return { settings, allowlist: await readActiveAllowlist(client, now ?? new Date()) };
  } finally {
    client.release();
  }
}

/** What one run over [from, to) alone raises, rule by rule; nothing is read from or written to the detection state. */
async function previewDetection(pool: pg.Pool, options: DetectOptions): Promise<DetectResult> {
  const range = { from: options.from, to: options.to };
  const { settings, allowlist } = await readSettings(pool, options.ruleIds, options.now);
  const outcomes: RuleOutcome[] = [];
  for (const { rule, params } of settings) {
    const started = performance.now();
    const input = {
      auditEvents: await readAuditCandidates(pool, rule, range),
      fileEvents: rule.kind === 'sequence' ? await readFileCandidates(pool, rule, range) : [],
    };
    const evaluation = evaluateRule(rule, params, input, allowlist);
    outcomes.push({
      ruleId: rule.id,
      eventsScanned: evaluation.eventsScanned,
      allowlisted: evaluation.allowlisted,
      created: 0,
      updated: 0,
      withdrawn: 0,
      durationMs: Math.round(performance.now() - started),
      alerts: evaluation.candidates.map((candidate) => ({ ...candidate, alertId: null, status: 'preview' })),
    });
  }
  return summarize(range, true, outcomes);
}

/**
 * Brings the alerts in step with events stored (or changed) in [from, to): every group and sequence
 * those events can change is recomputed. Each rule commits on its own, so a failure loses no other rule's work.
 */
export async function runDetection(pool: pg.Pool, options: DetectOptions): Promise<DetectResult> {
  if (options.dryRun) return previewDetection(pool, options);
  const range = { from: options.from, to: options.to };
  const { settings, allowlist } = await readSettings(pool, options.ruleIds, options.now);
  const stored = await readStoredTimeRange(pool);
  const storedTo = stored?.to ?? range.to;
  const outcomes: RuleOutcome[] = [];
  for (const setting of settings) {
    const started = performance.now();
    const { rule } = setting;
    const result =
      rule.kind === 'windowed'
        ? await detectWindowed(pool, { ...setting, rule }, allowlist, { ...range, cluster: options.cluster }, storedTo)
        : await (() => {
            const touched = sequencesTouchedBy(rule, setting.params, range);
            return detectSequences(
              pool,
              { ...setting, rule },
              allowlist,
              { from: touched.from, until: touched.to },
              touched,
            );
          })();
    outcomes.push(await recordOutcome(pool, rule.id, range, started, result));
  }
  return summarize(range, false, outcomes);
}

/** Day slices of [from, to): rebuilds read the history a slice at a time. */
function daySlices(range: TimeRange): TimeRange[] {
  const slices: TimeRange[] = [];
  for (let from = range.from.getTime(); from < range.to.getTime(); from += DAY_MS) {
    slices.push({ from: new Date(from), to: new Date(Math.min(from + DAY_MS, range.to.getTime())) });
  }
  return slices;
}

async function rebuildWindowed(
  pool: pg.Pool,
  setting: RuleSettings & { rule: WindowedRule<Record<string, number>> },
  allowlist: readonly CompiledEntry[],
  stored: TimeRange | null,
) {
  const { rule, params } = setting;
  const tally = newTally();
  const groups = new Map<string, ChangedGroup>();
  for (const slice of stored ? daySlices(stored) : []) {
    const candidates = await readAuditCandidates(pool, rule, slice);
    const { events } = matchEvents(rule, params, candidates, allowlist);
    for (const group of listChangedGroups(rule, params, events)) {
      const known = groups.get(group.key);
      if (known) known.to = group.to;
      else groups.set(group.key, group);
    }
  }
  await recomputeGroups(pool, setting, allowlist, [...groups.values()], stored?.to ?? new Date(), tally, {
    fromStart: true,
  });
  // Groups the rule no longer produces (other settings, an allowlist entry, another grouping).
  const client = await pool.connect();
  const stale = await (async () => {
    try {
      const keys = new Set([...(await listWindowGroups(client, rule.id)), ...(await listAlertGroups(client, rule.id))]);
      return [...keys].filter((key) => !groups.has(key)).sort();
    } finally {
      client.release();
    }
  })();
  for (let index = 0; index < stale.length; index += GROUPS_PER_TRANSACTION) {
    const batch = stale.slice(index, index + GROUPS_PER_TRANSACTION);
    tally.withdrawn += await withRetriedTransaction(pool, async (tx) => {
      await lockGroups(tx, rule.id, batch);
      let withdrawn = 0;
      for (const key of batch) {
        const span = { from: null, until: 'end' as const };
        await replaceWindows(tx, rule.id, key, span, []);
        withdrawn += (await replaceDetectedAlerts(tx, { ruleId: rule.id, groupKey: key, ...span }, [])).withdrawn;
      }
      return withdrawn;
    });
  }
  return tally;
}

async function rebuildSequences(
  pool: pg.Pool,
  setting: RuleSettings & { rule: SequenceRule<Record<string, number>> },
  allowlist: readonly CompiledEntry[],
  stored: TimeRange | null,
) {
  const tally = newTally();
  const slices = stored ? daySlices(stored) : [];
  if (slices.length === 0) {
    const empty = { from: new Date(0), to: new Date(0) };
    return (await detectSequences(pool, setting, allowlist, { from: null, until: 'end' }, empty)).tally;
  }
  for (const [index, slice] of slices.entries()) {
    const opening = {
      from: index === 0 ? null : slice.from,
      until: index === slices.length - 1 ? ('end' as const) : slice.to,
    };
    const { tally: part } = await detectSequences(pool, setting, allowlist, opening, slice);
    for (const key of ['eventsScanned', 'created', 'updated', 'withdrawn'] as const) tally[key] += part[key];
    tally.alerts.push(...part.alerts);
  }
  return tally;
}

/**
 * One run over everything: each rule's windows and alerts rebuilt from the stored events with its
 * current settings (after a settings change, an upgrade, or on demand: `vigil detect --rebuild`).
 */
export async function rebuildDetection(
  pool: pg.Pool,
  options: { ruleIds?: string[]; now?: Date } = {},
): Promise<DetectResult> {
  const { settings, allowlist } = await readSettings(pool, options.ruleIds, options.now);
  const stored = await readStoredTimeRange(pool);
  const range = stored ?? { from: new Date(0), to: new Date(0) };
  const outcomes: RuleOutcome[] = [];
  for (const setting of settings) {
    const started = performance.now();
    const { rule } = setting;
    const tally =
      rule.kind === 'windowed'
        ? await rebuildWindowed(pool, { ...setting, rule }, allowlist, stored)
        : await rebuildSequences(pool, { ...setting, rule }, allowlist, stored);
    outcomes.push(await recordOutcome(pool, rule.id, range, started, { tally, hits: new Map() }));
    if (setting.version !== null) {
      const client = await pool.connect();
      try {
        await recordRuleRebuilt(client, rule.id, setting.version);
      } finally {
        client.release();
      }
    }
  }
  return summarize(range, false, outcomes);
}
