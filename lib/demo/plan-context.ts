// What the planted attacks and the time-scheduled background share while they plan: the cluster,
// the timeline and file events they add to, and the ground truth they record.

import type { Actor, Cluster, Pod } from './cluster-model';
import type { FileContext } from './file-events';
import { createRandom, type Random } from './random';
import { createTimeline, type Timeline } from './timeline';
import type { DecoyActivity, ExpectedAlert } from './types';

export type PlanContext = {
  cluster: Cluster;
  rng: Random;
  timeline: Timeline;
  fileContext: FileContext;
  start: number;
  end: number;
  span: number;
  alerts: ExpectedAlert[];
  decoys: DecoyActivity[];
  /** Windows in which the payments-api pods' own periodic API calls are suppressed. */
  quietWindows: [number, number][];
};

export function createPlanContext(seed: number, cluster: Cluster, start: number, end: number): PlanContext {
  const rng = createRandom(seed).fork('plan');
  return {
    cluster,
    rng,
    timeline: createTimeline(rng, start, end),
    fileContext: { cluster, rng: createRandom(seed).fork('files'), files: [] },
    start,
    end,
    span: end - start,
    alerts: [],
    decoys: [],
    quietWindows: [],
  };
}

/** `kubectl exec -it` into the pod's container at `time`, the session lasting `duration`; returns the shell's pid. */
export function openShell(context: PlanContext, actor: Actor, pod: Pod, time: number, duration: number): number {
  context.timeline.add(
    {
      actor,
      verb: 'create',
      resource: 'pods',
      namespace: pod.namespace,
      name: pod.name,
      subresource: 'exec',
      query: `command=sh&container=${pod.containerName}&stdin=true&stdout=true&tty=true`,
      duration,
    },
    time,
  );
  return context.rng.int(200, 900);
}
