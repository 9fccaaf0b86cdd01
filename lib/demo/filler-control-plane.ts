// Filler from the cluster's own machinery: kubelets, kube-controller-manager and its controllers,
// the scheduler, the apiserver and anonymous health probes.

import { buildLeaseRequest, buildWatchQuery } from './audit-events';
import type { Actor, Pod } from './cluster-model';
import type { FillerScope, WeightedTemplate } from './filler-scope';
import type { Random } from './random';
import { MINUTE } from './time';

function pickNodeIndex(rng: Random, scope: FillerScope): number {
  return rng.int(0, scope.cluster.nodes.length - 1);
}

/** A pod on the node at `index`, or any pod when none runs there. */
function pickPodOn(rng: Random, scope: FillerScope, index: number): Pod {
  const pods = scope.podsByNode[index]!;
  return rng.pick(pods.length > 0 ? pods : scope.cluster.pods);
}

function findController(scope: FillerScope, name: string): Actor {
  return scope.cluster.controlPlane.controllers.find((actor) => actor.user.username.endsWith(`:${name}`))!;
}

/** Kubelets' heartbeats and status updates for their node and pods. */
export function buildKubeletStatusTemplates(scope: FillerScope): WeightedTemplate[] {
  const { nodes, nodeActors } = scope.cluster;
  return [
    [
      18,
      (rng) => {
        const index = pickNodeIndex(rng, scope);
        return buildLeaseRequest(nodeActors[index]!, 'kube-node-lease', nodes[index]!.name);
      },
    ],
    [
      6,
      (rng) => {
        const index = pickNodeIndex(rng, scope);
        const pod = pickPodOn(rng, scope, index);
        return { actor: nodeActors[index]!, verb: 'get', resource: 'pods', namespace: pod.namespace, name: pod.name };
      },
    ],
    [
      4,
      (rng) => {
        const index = pickNodeIndex(rng, scope);
        const pod = pickPodOn(rng, scope, index);
        return {
          actor: nodeActors[index]!,
          verb: 'patch',
          resource: 'pods',
          subresource: 'status',
          namespace: pod.namespace,
          name: pod.name,
        };
      },
    ],
    [
      4,
      (rng) => {
        const index = pickNodeIndex(rng, scope);
        return {
          actor: nodeActors[index]!,
          verb: 'patch',
          resource: 'nodes',
          subresource: 'status',
          name: nodes[index]!.name,
        };
      },
    ],
    [
      3,
      (rng) => {
        const index = pickNodeIndex(rng, scope);
        return {
          actor: nodeActors[index]!,
          verb: 'get',
          resource: 'nodes',
          name: nodes[index]!.name,
          query: 'resourceVersion=0&timeout=10s',
        };
      },
    ],
  ];
}

/** Kubelets' watches on what their pods mount, and the events they record. */
export function buildKubeletWatchTemplates(scope: FillerScope): WeightedTemplate[] {
  const { cluster, resourceVersionAt } = scope;
  const { nodes, nodeActors } = cluster;
  const podsWithSecrets = cluster.pods.filter((pod) => pod.secrets.length > 0);
  return [
    [
      3,
      (rng, time) => {
        const index = pickNodeIndex(rng, scope);
        const pod = pickPodOn(rng, scope, index);
        return {
          actor: nodeActors[index]!,
          verb: 'watch',
          resource: 'configmaps',
          namespace: pod.namespace,
          name: 'kube-root-ca.crt',
          nameInFieldSelector: true,
          query: buildWatchQuery(rng, resourceVersionAt(time)),
          duration: 7 * MINUTE,
        };
      },
    ],
    [
      2,
      (rng, time) => {
        // Kubelets watch the secrets their pods mount: a node identity, verb watch, so R1 and R3 skip it.
        const pod = rng.pick(podsWithSecrets);
        const index = nodes.indexOf(pod.node);
        return {
          actor: nodeActors[index]!,
          verb: 'watch',
          resource: 'secrets',
          namespace: pod.namespace,
          name: rng.pick(pod.secrets),
          nameInFieldSelector: true,
          query: buildWatchQuery(rng, resourceVersionAt(time)),
          duration: 7 * MINUTE,
        };
      },
    ],
    [
      2,
      (rng) => {
        const index = pickNodeIndex(rng, scope);
        const pod = pickPodOn(rng, scope, index);
        return { actor: nodeActors[index]!, verb: 'create', resource: 'events', namespace: pod.namespace, code: 201 };
      },
    ],
  ];
}

/** kube-controller-manager's leader lease and the controllers that keep workloads in shape. */
export function buildWorkloadControllerTemplates(scope: FillerScope): WeightedTemplate[] {
  const { appNamespaces } = scope;
  const { kcm } = scope.cluster.controlPlane;
  return [
    [
      8,
      (rng) => ({
        ...buildLeaseRequest(kcm, 'kube-system', 'kube-controller-manager'),
        code: rng.chance(0.01) ? 409 : 200,
      }),
    ],
    [
      4,
      (rng) => {
        const namespace = rng.pick(appNamespaces);
        return {
          actor: findController(scope, 'endpointslice-controller'),
          verb: 'update',
          resource: 'endpointslices',
          group: 'discovery.k8s.io',
          namespace,
          name: `${rng.pick(['frontend', 'checkout', 'orders', 'payments-api'])}-${rng.suffix(5)}`,
        };
      },
    ],
    [
      2,
      (rng) => ({
        actor: findController(scope, 'replicaset-controller'),
        verb: 'update',
        resource: 'replicasets',
        group: 'apps',
        subresource: 'status',
        namespace: rng.pick(appNamespaces),
        name: `${rng.pick(['frontend', 'checkout', 'orders-worker'])}-${rng.suffix(10)}`,
      }),
    ],
    [
      1,
      (rng) => ({
        actor: findController(scope, 'deployment-controller'),
        verb: 'update',
        resource: 'deployments',
        group: 'apps',
        subresource: 'status',
        namespace: rng.pick(appNamespaces),
        name: rng.pick(['frontend', 'checkout', 'orders-worker']),
      }),
    ],
  ];
}

/** Controllers that sweep the whole cluster: garbage collection, bootstrap tokens, namespaces, jobs, nodes. */
export function buildHousekeepingControllerTemplates(scope: FillerScope): WeightedTemplate[] {
  const { cluster, resourceVersionAt } = scope;
  return [
    [
      2,
      (rng, time) => {
        // Loopback controllers list and watch everything, secrets included: R1 and R2 exclude 127.0.0.1, R3 kube-system.
        const resource = rng.pick(['secrets', 'configmaps', 'pods', 'serviceaccounts', 'secrets']);
        const verb = rng.chance(0.3) ? 'list' : 'watch';
        return {
          actor: findController(scope, 'generic-garbage-collector'),
          verb,
          resource,
          query: verb === 'list' ? 'limit=500&resourceVersion=0' : buildWatchQuery(rng, resourceVersionAt(time)),
          duration: 8 * MINUTE,
        };
      },
    ],
    [
      1,
      (rng) => ({
        actor: findController(scope, 'bootstrap-signer'),
        verb: 'get',
        resource: 'secrets',
        namespace: 'kube-system',
        name: `bootstrap-token-${rng.pick(['7hx9a2', 'k2m8qz'])}`,
      }),
    ],
    [
      1,
      () => ({
        actor: findController(scope, 'token-cleaner'),
        verb: 'list',
        resource: 'secrets',
        namespace: 'kube-system',
        query: 'fieldSelector=type%3Dbootstrap.kubernetes.io%2Ftoken&limit=500',
      }),
    ],
    [
      1,
      (rng) => ({
        actor: findController(scope, 'namespace-controller'),
        verb: 'list',
        resource: rng.pick(['namespaces', 'resourcequotas']),
        query: 'limit=500',
      }),
    ],
    [
      1,
      (rng) => ({
        actor: findController(scope, 'job-controller'),
        verb: 'list',
        resource: 'jobs',
        group: 'batch',
        namespace: rng.pick(['ci', 'default']),
        query: 'limit=500',
      }),
    ],
    [
      1,
      (rng) => ({
        actor: findController(scope, 'node-controller'),
        verb: 'get',
        resource: 'nodes',
        name: rng.pick(cluster.nodes).name,
      }),
    ],
  ];
}

export function buildSchedulerTemplates(scope: FillerScope): WeightedTemplate[] {
  const { scheduler } = scope.cluster.controlPlane;
  return [
    [5, () => buildLeaseRequest(scheduler, 'kube-system', 'kube-scheduler')],
    [
      1,
      (rng) => {
        const pod = rng.pick(scope.appPods);
        return {
          actor: scheduler,
          verb: 'create',
          resource: 'pods',
          subresource: 'binding',
          namespace: pod.namespace,
          name: `${pod.containerName}-${rng.suffix(10)}-${rng.suffix(5)}`,
          code: 201,
        };
      },
    ],
  ];
}

export function buildApiserverTemplates(scope: FillerScope): WeightedTemplate[] {
  const { anonymous, apiserver } = scope.cluster.controlPlane;
  return [
    [3, (rng) => ({ actor: anonymous, verb: 'get', path: rng.pick(['/readyz', '/livez', '/healthz']) })],
    [
      3,
      (rng) => {
        const choice = rng.int(0, 2);
        if (choice === 0) {
          const identity = rng.pick(['x4k2mbvh7qk3rl6y7z2bq7pz3e', 'p2c9m8qnbt6hlwz5xv4f3d2k1a']);
          return buildLeaseRequest(apiserver, 'kube-system', `apiserver-${identity}`);
        }
        if (choice === 1)
          return { actor: apiserver, verb: 'get', resource: 'endpoints', namespace: 'default', name: 'kubernetes' };
        return {
          actor: apiserver,
          verb: 'patch',
          resource: 'prioritylevelconfigurations',
          group: 'flowcontrol.apiserver.k8s.io',
          version: 'v1',
          subresource: 'status',
          name: rng.pick(['workload-low', 'global-default', 'leader-election']),
        };
      },
    ],
  ];
}
