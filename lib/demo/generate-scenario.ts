// A deterministic cluster: background activity that raises no alert under the upstream rule semantics,
// planted attacks for R1–R4 with their exact ground truth, and decoys. Only the time-scheduled part
// (sized by hours, not by `events`) is held in memory; the high-volume filler streams in lazily.

import { plantAttacks } from './attacks';
import { scheduleBackground } from './background';
import { buildCluster } from './cluster';
import { sortFileEvents } from './file-events';
import { generateFiller } from './filler';
import { sortAlerts } from './ground-truth';
import { createPlanContext } from './plan-context';
import { createRandom } from './random';
import { HOUR } from './time';
import { mergeByTime } from './timeline';
import type { GroundTruth, Scenario, ScenarioOptions } from './types';

/** Used when the caller passes no `end`: this module never reads the clock. */
export const DEFAULT_SCENARIO_END = new Date('2026-07-15T12:00:00.000Z');
export const MIN_SCENARIO_HOURS = 2;

function resolveOptions(options: ScenarioOptions): Required<ScenarioOptions> {
  const seed = options.seed ?? 1;
  const events = options.events ?? 20_000;
  const hours = options.hours ?? 6;
  const cluster = options.cluster ?? 'demo-cluster';
  const end = options.end ?? DEFAULT_SCENARIO_END;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new Error(`seed: expected an integer 0..4294967295, received ${seed}`);
  if (!Number.isInteger(events) || events < 1)
    throw new Error(`events: expected a positive integer, received ${events}`);
  if (!Number.isFinite(hours) || hours < MIN_SCENARIO_HOURS || hours > 24 * 90) {
    throw new Error(`hours: expected ${MIN_SCENARIO_HOURS} to ${24 * 90}, received ${hours}`);
  }
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(cluster))
    throw new Error(`cluster: expected a DNS label, received "${cluster}"`);
  if (Number.isNaN(end.getTime())) throw new Error('end: invalid date');
  return { seed, events, hours, cluster, end };
}

export function generateScenario(options: ScenarioOptions = {}): Scenario {
  const { seed, events, hours, cluster, end: endDate } = resolveOptions(options);
  const end = endDate.getTime() * 1000;
  const start = end - Math.round(hours * HOUR);
  const model = buildCluster(createRandom(seed).fork('cluster'), cluster);
  const context = createPlanContext(seed, model, start, end);
  plantAttacks(context);
  scheduleBackground(context);

  const scheduled = context.timeline.sorted();
  if (events < scheduled.length) {
    throw new Error(
      `events: a ${hours}-hour scenario plants ${scheduled.length} audit events (attacks and time-scheduled background); ask for at least that many, or fewer hours`,
    );
  }
  const files = sortFileEvents(context.fileContext.files);
  const groundTruth: GroundTruth = {
    seed,
    cluster,
    start: new Date(start / 1000).toISOString(),
    end: new Date(end / 1000).toISOString(),
    auditEvents: events,
    fileEvents: files.length,
    alerts: sortAlerts(context.alerts),
    decoys: context.decoys,
  };
  return {
    seed,
    cluster,
    start: new Date(start / 1000),
    end: new Date(end / 1000),
    auditEventCount: events,
    fileEventCount: files.length,
    auditEvents: () =>
      mergeByTime(scheduled, (clock) => generateFiller(model, seed, start, end, events - scheduled.length, clock)),
    fileEvents: function* () {
      yield* files;
    },
    groundTruth,
  };
}
