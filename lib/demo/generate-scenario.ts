// A deterministic cluster: background activity that raises no alert under the upstream rule semantics,
// planted attacks for R1–R4 with their exact ground truth, and decoys. Streams: only the time-scheduled
// part (attacks, secret-touching background, file events; sized by hours, not by `events`) is held in
// memory; the high-volume filler is generated lazily in time order and merged in.

import { buildRequestEvents, buildWatchQuery, computeResourceVersion, type RequestSpec } from './audit-events';
import { plantAttacks } from './attacks';
import { scheduleBackground } from './background';
import { buildCluster } from './cluster';
import { deepFreeze, getPod, type Actor, type Cluster } from './cluster-model';
import { sortFileEvents } from './file-events';
import { sortAlerts } from './ground-truth';
import { createPlanContext } from './plan-context';
import { createRandom, type Random } from './random';
import { mergeByTime } from './timeline';
import { HOUR, MINUTE } from './time';
import type { GroundTruth, K8sAuditEvent, Scenario, ScenarioOptions } from './types';

/** Used when the caller passes no `end`: this module never reads the clock. */
export const DEFAULT_SCENARIO_END = new Date('2026-07-15T12:00:00.000Z');
export const MIN_SCENARIO_HOURS = 2;

// ---------------------------------------------------------------------------------------------
// Filler: high-volume background that touches secrets only in ways every rule excludes

type FillerTemplate = (rng: Random, time: number) => RequestSpec;

function buildFillerTemplates(cluster: Cluster, start: number): { templates: FillerTemplate[]; weights: number[] } {
  const rv = (time: number) => computeResourceVersion(start, time);
  const { nodes, nodeActors, controlPlane } = cluster;
  const appNamespaces = ['web', 'shop', 'default', 'payments', 'monitoring'];
  const nodeIndex = (rng: Random) => rng.int(0, nodes.length - 1);
  const podsOn = nodes.map((node) => cluster.pods.filter((pod) => pod.node === node));
  const anyPodOn = (rng: Random, index: number) => rng.pick(podsOn[index]!.length > 0 ? podsOn[index]! : cluster.pods);
  const controller = (name: string) =>
    controlPlane.controllers.find((actor) => actor.user.username.endsWith(`:${name}`))!;
  const coredns = cluster.pods.filter((pod) => pod.serviceAccount === 'coredns');
  const kubeProxies = cluster.pods.filter((pod) => pod.serviceAccount === 'kube-proxy');
  const flux = ['source-controller', 'kustomize-controller', 'helm-controller', 'notification-controller'].map(
    (key) => getPod(cluster, key).actor,
  );
  const fluxKinds: [string, string, string, string][] = [
    ['source.toolkit.fluxcd.io', 'v1', 'gitrepositories', 'flux-system'],
    ['kustomize.toolkit.fluxcd.io', 'v1', 'kustomizations', 'apps'],
    ['helm.toolkit.fluxcd.io', 'v2', 'helmreleases', 'podinfo'],
  ];
  const ingress = getPod(cluster, 'ingress-nginx-controller').actor;
  const certManager = getPod(cluster, 'cert-manager').actor;
  const prometheus = getPod(cluster, 'prometheus-k8s').actor;
  const metricsServer = getPod(cluster, 'metrics-server').actor;
  const autoscaler = getPod(cluster, 'cluster-autoscaler').actor;
  const deployer = getPod(cluster, 'gitlab-runner').actor;
  const frontendPods = [getPod(cluster, 'frontend'), getPod(cluster, 'frontend-2')];
  const ordersWorker = getPod(cluster, 'orders-worker').actor;
  const humans = [cluster.humans.alice, cluster.humans.bob, cluster.humans.oncall];
  const oncallViaProxy: Actor = deepFreeze({ ...cluster.humans.oncall.actor, sourceIPs: ['10.20.1.5', '10.0.0.40'] });
  const appPods = cluster.pods.filter(
    (pod) => appNamespaces.includes(pod.namespace) && !pod.name.startsWith('payments-api'),
  );

  const entries: [number, FillerTemplate][] = [
    [
      18,
      (rng) => {
        const index = nodeIndex(rng);
        return {
          actor: nodeActors[index]!,
          verb: 'update',
          resource: 'leases',
          group: 'coordination.k8s.io',
          namespace: 'kube-node-lease',
          name: nodes[index]!.name,
        };
      },
    ],
    [
      6,
      (rng) => {
        const index = nodeIndex(rng);
        const pod = anyPodOn(rng, index);
        return { actor: nodeActors[index]!, verb: 'get', resource: 'pods', namespace: pod.namespace, name: pod.name };
      },
    ],
    [
      4,
      (rng) => {
        const index = nodeIndex(rng);
        const pod = anyPodOn(rng, index);
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
        const index = nodeIndex(rng);
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
        const index = nodeIndex(rng);
        return {
          actor: nodeActors[index]!,
          verb: 'get',
          resource: 'nodes',
          name: nodes[index]!.name,
          query: 'resourceVersion=0&timeout=10s',
        };
      },
    ],
    [
      3,
      (rng, time) => {
        const index = nodeIndex(rng);
        const pod = anyPodOn(rng, index);
        return {
          actor: nodeActors[index]!,
          verb: 'watch',
          resource: 'configmaps',
          namespace: pod.namespace,
          name: 'kube-root-ca.crt',
          nameInFieldSelector: true,
          query: buildWatchQuery(rng, rv(time)),
          duration: 7 * MINUTE,
        };
      },
    ],
    [
      2,
      (rng, time) => {
        // Kubelets watch the secrets their pods mount: a node identity, verb watch, so R1 and R3 skip it.
        const withSecrets = cluster.pods.filter((pod) => pod.secrets.length > 0);
        const pod = rng.pick(withSecrets);
        const index = nodes.indexOf(pod.node);
        return {
          actor: nodeActors[index]!,
          verb: 'watch',
          resource: 'secrets',
          namespace: pod.namespace,
          name: rng.pick(pod.secrets),
          nameInFieldSelector: true,
          query: buildWatchQuery(rng, rv(time)),
          duration: 7 * MINUTE,
        };
      },
    ],
    [
      2,
      (rng) => {
        const index = nodeIndex(rng);
        const pod = anyPodOn(rng, index);
        return { actor: nodeActors[index]!, verb: 'create', resource: 'events', namespace: pod.namespace, code: 201 };
      },
    ],
    [
      8,
      (rng) => ({
        actor: controlPlane.kcm,
        verb: 'update',
        resource: 'leases',
        group: 'coordination.k8s.io',
        namespace: 'kube-system',
        name: 'kube-controller-manager',
        code: rng.chance(0.01) ? 409 : 200,
      }),
    ],
    [
      4,
      (rng) => {
        const namespace = rng.pick(appNamespaces);
        return {
          actor: controller('endpointslice-controller'),
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
        actor: controller('replicaset-controller'),
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
        actor: controller('deployment-controller'),
        verb: 'update',
        resource: 'deployments',
        group: 'apps',
        subresource: 'status',
        namespace: rng.pick(appNamespaces),
        name: rng.pick(['frontend', 'checkout', 'orders-worker']),
      }),
    ],
    [
      2,
      (rng, time) => {
        // Loopback controllers list and watch everything, secrets included: R1 and R2 exclude 127.0.0.1, R3 kube-system.
        const resource = rng.pick(['secrets', 'configmaps', 'pods', 'serviceaccounts', 'secrets']);
        const verb = rng.chance(0.3) ? 'list' : 'watch';
        return {
          actor: controller('generic-garbage-collector'),
          verb,
          resource,
          query: verb === 'list' ? 'limit=500&resourceVersion=0' : buildWatchQuery(rng, rv(time)),
          duration: 8 * MINUTE,
        };
      },
    ],
    [
      1,
      (rng) => ({
        actor: controller('bootstrap-signer'),
        verb: 'get',
        resource: 'secrets',
        namespace: 'kube-system',
        name: `bootstrap-token-${rng.pick(['7hx9a2', 'k2m8qz'])}`,
      }),
    ],
    [
      1,
      () => ({
        actor: controller('token-cleaner'),
        verb: 'list',
        resource: 'secrets',
        namespace: 'kube-system',
        query: 'fieldSelector=type%3Dbootstrap.kubernetes.io%2Ftoken&limit=500',
      }),
    ],
    [
      1,
      (rng) => ({
        actor: controller('namespace-controller'),
        verb: 'list',
        resource: rng.pick(['namespaces', 'resourcequotas']),
        query: 'limit=500',
      }),
    ],
    [
      1,
      (rng) => ({
        actor: controller('job-controller'),
        verb: 'list',
        resource: 'jobs',
        group: 'batch',
        namespace: rng.pick(['ci', 'default']),
        query: 'limit=500',
      }),
    ],
    [
      1,
      (rng) => ({ actor: controller('node-controller'), verb: 'get', resource: 'nodes', name: rng.pick(nodes).name }),
    ],
    [
      5,
      () => ({
        actor: controlPlane.scheduler,
        verb: 'update',
        resource: 'leases',
        group: 'coordination.k8s.io',
        namespace: 'kube-system',
        name: 'kube-scheduler',
      }),
    ],
    [
      1,
      (rng) => {
        const pod = rng.pick(appPods);
        return {
          actor: controlPlane.scheduler,
          verb: 'create',
          resource: 'pods',
          subresource: 'binding',
          namespace: pod.namespace,
          name: `${pod.containerName}-${rng.suffix(10)}-${rng.suffix(5)}`,
          code: 201,
        };
      },
    ],
    [
      3,
      (rng, time) => {
        const resource = rng.pick(['endpointslices', 'services', 'namespaces']);
        return {
          actor: rng.pick(coredns).actor,
          verb: 'watch',
          resource,
          group: resource === 'endpointslices' ? 'discovery.k8s.io' : undefined,
          query: buildWatchQuery(rng, rv(time)),
          duration: 6 * MINUTE,
        };
      },
    ],
    [
      2,
      (rng, time) => {
        const resource = rng.pick(['endpointslices', 'services']);
        return {
          actor: rng.pick(kubeProxies).actor,
          verb: 'watch',
          resource,
          group: resource === 'endpointslices' ? 'discovery.k8s.io' : undefined,
          query: buildWatchQuery(
            rng,
            rv(time),
            '&labelSelector=%21service.kubernetes.io%2Fheadless%2C%21service.kubernetes.io%2Fservice-proxy-name',
          ),
          duration: 8 * MINUTE,
        };
      },
    ],
    [
      3,
      (rng) => ({
        actor: ingress,
        verb: rng.chance(0.5) ? 'get' : 'update',
        resource: 'leases',
        group: 'coordination.k8s.io',
        namespace: 'ingress-nginx',
        name: 'ingress-nginx-leader',
      }),
    ],
    [
      2,
      (rng, time) => {
        const resource = rng.pick(['ingresses', 'services', 'endpointslices', 'configmaps']);
        const group =
          resource === 'ingresses'
            ? 'networking.k8s.io'
            : resource === 'endpointslices'
              ? 'discovery.k8s.io'
              : undefined;
        return {
          actor: ingress,
          verb: 'watch',
          resource,
          group,
          query: buildWatchQuery(rng, rv(time)),
          duration: 7 * MINUTE,
        };
      },
    ],
    [
      1,
      (rng) => ({
        actor: ingress,
        verb: 'update',
        resource: 'ingresses',
        group: 'networking.k8s.io',
        subresource: 'status',
        namespace: rng.pick(['web', 'shop']),
        name: rng.pick(['frontend', 'checkout']),
      }),
    ],
    [
      2,
      () => ({
        actor: certManager,
        verb: 'update',
        resource: 'leases',
        group: 'coordination.k8s.io',
        namespace: 'kube-system',
        name: 'cert-manager-controller',
      }),
    ],
    [
      4,
      (rng) => {
        const [group, version, resource, namespace] = rng.pick(fluxKinds);
        const actor = rng.pick(flux);
        const name =
          namespace === 'apps' ? rng.pick(['web', 'shop']) : namespace === 'podinfo' ? 'podinfo' : 'flux-system';
        if (rng.chance(0.4))
          return { actor, verb: 'patch', resource, group, version, subresource: 'status', namespace, name };
        if (rng.chance(0.5)) return { actor, verb: 'get', resource, group, version, namespace, name };
        return {
          actor,
          verb: 'update',
          resource: 'leases',
          group: 'coordination.k8s.io',
          namespace: 'flux-system',
          name: `${actor.user.username.split(':').at(-1)}-leader-election`,
        };
      },
    ],
    [
      4,
      (rng, time) => {
        const resource = rng.pick(['pods', 'endpoints', 'services']);
        if (rng.chance(0.3)) {
          return {
            actor: prometheus,
            verb: 'get',
            resource: 'nodes',
            subresource: 'proxy',
            name: rng.pick(nodes).name,
            subpath: 'metrics/cadvisor',
          };
        }
        return rng.chance(0.5)
          ? {
              actor: prometheus,
              verb: 'list',
              resource,
              namespace: rng.pick(appNamespaces),
              query: 'limit=500&resourceVersion=0',
            }
          : {
              actor: prometheus,
              verb: 'watch',
              resource,
              namespace: rng.pick(appNamespaces),
              query: buildWatchQuery(rng, rv(time)),
              duration: 9 * MINUTE,
            };
      },
    ],
    [
      1,
      (rng) => ({
        actor: metricsServer,
        verb: rng.chance(0.5) ? 'list' : 'get',
        resource: 'nodes',
        query: 'limit=500',
      }),
    ],
    [
      2,
      (rng) => {
        const choice = rng.int(0, 2);
        if (choice === 0)
          return {
            actor: autoscaler,
            verb: 'update',
            resource: 'configmaps',
            namespace: 'kube-system',
            name: 'cluster-autoscaler-status',
          };
        if (choice === 1) return { actor: autoscaler, verb: 'list', resource: 'nodes', query: 'limit=500' };
        return {
          actor: autoscaler,
          verb: 'get',
          resource: 'leases',
          group: 'coordination.k8s.io',
          namespace: 'kube-system',
          name: 'cluster-autoscaler',
        };
      },
    ],
    [
      3,
      (rng) => {
        const namespace = rng.pick(['web', 'shop']);
        const app = namespace === 'web' ? 'frontend' : rng.pick(['checkout', 'orders-worker']);
        const choice = rng.int(0, 4);
        if (choice === 0)
          return { actor: deployer, verb: 'patch', resource: 'deployments', group: 'apps', namespace, name: app };
        if (choice === 1)
          return { actor: deployer, verb: 'get', resource: 'deployments', group: 'apps', namespace, name: app };
        if (choice === 2) return { actor: deployer, verb: 'patch', resource: 'services', namespace, name: app };
        if (choice === 3)
          return {
            actor: deployer,
            verb: 'list',
            resource: 'replicasets',
            group: 'apps',
            namespace,
            query: `labelSelector=app%3D${app}`,
          };
        return {
          actor: deployer,
          verb: 'create',
          resource: 'services',
          namespace,
          name: `${app}-canary`,
          code: rng.chance(0.7) ? 409 : 201,
        };
      },
    ],
    [
      5,
      (rng) => {
        const human = rng.pick(humans);
        const restricted = human.allowedNamespaces[0] !== '*';
        const namespace = rng.pick(human.allowedNamespaces[0] === '*' ? appNamespaces : human.allowedNamespaces);
        const pod = rng.pick(appPods);
        const actor = human === cluster.humans.oncall && rng.chance(0.3) ? oncallViaProxy : human.actor;
        const choice = rng.int(0, 9);
        if (choice <= 2) return { actor, verb: 'list', resource: 'pods', namespace, query: 'limit=500' };
        if (choice === 3)
          return {
            actor,
            verb: 'get',
            resource: 'pods',
            namespace: pod.namespace,
            name: pod.name,
            code: restricted && !human.allowedNamespaces.includes(pod.namespace) ? 403 : 200,
          };
        if (choice === 4) return { actor, verb: 'list', resource: 'events', namespace, query: 'limit=500' };
        if (choice === 5)
          return {
            actor,
            verb: 'get',
            resource: 'pods',
            subresource: 'log',
            namespace: pod.namespace,
            name: pod.name,
            code: restricted && !human.allowedNamespaces.includes(pod.namespace) ? 403 : 200,
          };
        if (choice === 6)
          return { actor, verb: 'list', resource: 'deployments', group: 'apps', namespace, query: 'limit=500' };
        if (choice === 7)
          return { actor, verb: 'list', resource: 'nodes', query: 'limit=500', code: restricted ? 403 : 200 };
        if (choice === 8 && human === cluster.humans.oncall) {
          return {
            actor,
            verb: 'list',
            resource: 'pods',
            namespace: 'web',
            query: 'limit=500',
            impersonatedUser: cluster.humans.bob.actor.user,
          };
        }
        return {
          actor,
          verb: 'get',
          resource: 'pods',
          namespace,
          name: `${rng.pick(['frontend', 'checkout'])}-${rng.suffix(10)}-${rng.suffix(5)}`,
          code: 404,
        };
      },
    ],
    [3, (rng) => ({ actor: controlPlane.anonymous, verb: 'get', path: rng.pick(['/readyz', '/livez', '/healthz']) })],
    [
      3,
      (rng) => {
        const choice = rng.int(0, 2);
        if (choice === 0)
          return {
            actor: controlPlane.apiserver,
            verb: 'update',
            resource: 'leases',
            group: 'coordination.k8s.io',
            namespace: 'kube-system',
            name: `apiserver-${rng.pick(['x4k2mbvh7qk3rl6y7z2bq7pz3e', 'p2c9m8qnbt6hlwz5xv4f3d2k1a'])}`,
          };
        if (choice === 1)
          return {
            actor: controlPlane.apiserver,
            verb: 'get',
            resource: 'endpoints',
            namespace: 'default',
            name: 'kubernetes',
          };
        return {
          actor: controlPlane.apiserver,
          verb: 'patch',
          resource: 'prioritylevelconfigurations',
          group: 'flowcontrol.apiserver.k8s.io',
          version: 'v1',
          subresource: 'status',
          name: rng.pick(['workload-low', 'global-default', 'leader-election']),
        };
      },
    ],
    [
      2,
      (rng) =>
        rng.chance(0.5)
          ? {
              actor: ordersWorker,
              verb: 'update',
              resource: 'leases',
              group: 'coordination.k8s.io',
              namespace: 'shop',
              name: 'orders-worker-leader',
            }
          : {
              actor: rng.pick(frontendPods).actor,
              verb: 'get',
              resource: 'configmaps',
              namespace: 'web',
              name: 'frontend-config',
            },
    ],
  ];
  return { templates: entries.map(([, template]) => template), weights: entries.map(([weight]) => weight) };
}

/** Yields filler rows in time order; `clock.time` holds the requestReceivedTimestamp of the last one yielded. */
function* generateFiller(
  cluster: Cluster,
  seed: number,
  start: number,
  end: number,
  rows: number,
  clock: { time: number },
): Generator<K8sAuditEvent> {
  if (rows <= 0) return;
  const rng = createRandom(seed).fork('filler');
  const { templates, weights } = buildFillerTemplates(cluster, start);
  const cumulative: number[] = [];
  let total = 0;
  for (const weight of weights) cumulative.push((total += weight));
  const span = end - start;
  let row = 0;
  while (row < rows) {
    // Row k sits at (k + u) / rows of the span, u in [0, 1): strictly increasing, evenly spread.
    const time = start + Math.floor((span * (row + rng.next())) / rows);
    const target = rng.next() * total;
    let index = 0;
    while (cumulative[index]! <= target) index++;
    const events = buildRequestEvents(templates[index]!(rng, time), time, rng, rows - row);
    clock.time = time;
    for (const event of events) yield event;
    row += events.length;
  }
}

// ---------------------------------------------------------------------------------------------

export function generateScenario(options: ScenarioOptions = {}): Scenario {
  const seed = options.seed ?? 1;
  const events = options.events ?? 20_000;
  const hours = options.hours ?? 6;
  const cluster = options.cluster ?? 'demo-cluster';
  const endDate = options.end ?? DEFAULT_SCENARIO_END;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new Error(`seed: expected an integer 0..4294967295, received ${seed}`);
  if (!Number.isInteger(events) || events < 1)
    throw new Error(`events: expected a positive integer, received ${events}`);
  if (!Number.isFinite(hours) || hours < MIN_SCENARIO_HOURS || hours > 24 * 90) {
    throw new Error(`hours: expected ${MIN_SCENARIO_HOURS} to ${24 * 90}, received ${hours}`);
  }
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(cluster))
    throw new Error(`cluster: expected a DNS label, received "${cluster}"`);
  if (Number.isNaN(endDate.getTime())) throw new Error('end: invalid date');

  const end = endDate.getTime() * 1000;
  const start = end - Math.round(hours * HOUR);
  const model = buildCluster(createRandom(seed).fork('cluster'), cluster);
  const context = createPlanContext(seed, model, start, end);
  const { fileContext } = context;
  plantAttacks(context);
  scheduleBackground(context);

  const scheduled = context.timeline.sorted();
  if (events < scheduled.length) {
    throw new Error(
      `events: a ${hours}-hour scenario plants ${scheduled.length} audit events (attacks and time-scheduled background); ask for at least that many, or fewer hours`,
    );
  }
  const files = sortFileEvents(fileContext.files);
  sortAlerts(context.alerts);

  const groundTruth: GroundTruth = {
    seed,
    cluster,
    start: new Date(start / 1000).toISOString(),
    end: new Date(end / 1000).toISOString(),
    auditEvents: events,
    fileEvents: files.length,
    alerts: context.alerts,
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
