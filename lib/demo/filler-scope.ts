// What the filler's request templates draw on: the cluster and the application side of it.

import { computeResourceVersion, type RequestSpec } from './audit-events';
import type { Cluster, Pod } from './cluster-model';
import type { Random } from './random';

/** One kind of routine request, built afresh at `time`. */
export type FillerTemplate = (rng: Random, time: number) => RequestSpec;

/** A template and its relative weight in the filler's mix. */
export type WeightedTemplate = [number, FillerTemplate];

export type FillerScope = {
  cluster: Cluster;
  /** The resourceVersion a watch opened at `time` resumes from. */
  resourceVersionAt: (time: number) => number;
  /** The pods on each node, by the node's index. */
  podsByNode: Pod[][];
  appNamespaces: string[];
  /** Application pods other than payments-api, whose API calls the background schedules in time. */
  appPods: Pod[];
};

export function createFillerScope(cluster: Cluster, start: number): FillerScope {
  const appNamespaces = ['web', 'shop', 'default', 'payments', 'monitoring'];
  return {
    cluster,
    resourceVersionAt: (time) => computeResourceVersion(start, time),
    podsByNode: cluster.nodes.map((node) => cluster.pods.filter((pod) => pod.node === node)),
    appNamespaces,
    appPods: cluster.pods.filter(
      (pod) => appNamespaces.includes(pod.namespace) && !pod.name.startsWith('payments-api'),
    ),
  };
}
