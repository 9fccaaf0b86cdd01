// Filler: the high-volume routine background, generated lazily in time order. It touches secrets only
// in ways every rule excludes, so it can grow with `events` without raising an alert.

import { buildRequestEvents } from './audit-events';
import type { Cluster } from './cluster-model';
import {
  buildApiserverTemplates,
  buildHousekeepingControllerTemplates,
  buildKubeletStatusTemplates,
  buildKubeletWatchTemplates,
  buildSchedulerTemplates,
  buildWorkloadControllerTemplates,
} from './filler-control-plane';
import { createFillerScope, type WeightedTemplate } from './filler-scope';
import {
  buildApplicationTemplates,
  buildNetworkingTemplates,
  buildOperatorTemplates,
  buildPeopleTemplates,
} from './filler-workloads';
import { createRandom } from './random';
import type { K8sAuditEvent } from './types';

// Each template's position fixes which draws select it, so reordering changes every scenario.
function buildFillerTemplates(cluster: Cluster, start: number): WeightedTemplate[] {
  const scope = createFillerScope(cluster, start);
  return [
    ...buildKubeletStatusTemplates(scope),
    ...buildKubeletWatchTemplates(scope),
    ...buildWorkloadControllerTemplates(scope),
    ...buildHousekeepingControllerTemplates(scope),
    ...buildSchedulerTemplates(scope),
    ...buildNetworkingTemplates(scope),
    ...buildOperatorTemplates(scope),
    ...buildPeopleTemplates(scope),
    ...buildApiserverTemplates(scope),
    ...buildApplicationTemplates(scope),
  ];
}

/** Yields filler rows in time order; `clock.time` holds the requestReceivedTimestamp of the last one yielded. */
export function* generateFiller(
  cluster: Cluster,
  seed: number,
  start: number,
  end: number,
  rows: number,
  clock: { time: number },
): Generator<K8sAuditEvent> {
  if (rows <= 0) return;
  const rng = createRandom(seed).fork('filler');
  const templates = buildFillerTemplates(cluster, start);
  const cumulative: number[] = [];
  let total = 0;
  for (const [weight] of templates) cumulative.push((total += weight));
  const span = end - start;
  let row = 0;
  while (row < rows) {
    // Row k sits at (k + u) / rows of the span, u in [0, 1): strictly increasing, evenly spread.
    const time = start + Math.floor((span * (row + rng.next())) / rows);
    const target = rng.next() * total;
    let index = 0;
    while (cumulative[index]! <= target) index++;
    const [, template] = templates[index]!;
    const events = buildRequestEvents(template(rng, time), time, rng, rows - row);
    clock.time = time;
    for (const event of events) yield event;
    row += events.length;
  }
}
