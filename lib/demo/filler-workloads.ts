// Filler from what runs on the cluster and the people using it: DNS, kube-proxy, ingress, operators
// (cert-manager, flux, monitoring, autoscaling), CI deploys, kubectl users and the applications.

import { buildLeaseRequest, buildWatchQuery, findApiGroup, type RequestSpec } from './audit-events';
import { deepFreeze, getPod, type Actor } from './cluster-model';
import type { FillerScope, WeightedTemplate } from './filler-scope';
import type { Random } from './random';
import { MINUTE } from './time';

/** [API group, version, resource, namespace] of the objects flux reconciles. */
const FLUX_KINDS: [string, string, string, string][] = [
  ['source.toolkit.fluxcd.io', 'v1', 'gitrepositories', 'flux-system'],
  ['kustomize.toolkit.fluxcd.io', 'v1', 'kustomizations', 'apps'],
  ['helm.toolkit.fluxcd.io', 'v2', 'helmreleases', 'podinfo'],
];

export function buildNetworkingTemplates(scope: FillerScope): WeightedTemplate[] {
  const { cluster, resourceVersionAt } = scope;
  const coredns = cluster.pods.filter((pod) => pod.serviceAccount === 'coredns');
  const kubeProxies = cluster.pods.filter((pod) => pod.serviceAccount === 'kube-proxy');
  const ingress = getPod(cluster, 'ingress-nginx-controller').actor;
  return [
    [
      3,
      (rng, time) => {
        const resource = rng.pick(['endpointslices', 'services', 'namespaces']);
        return {
          actor: rng.pick(coredns).actor,
          verb: 'watch',
          resource,
          group: findApiGroup(resource),
          query: buildWatchQuery(rng, resourceVersionAt(time)),
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
          group: findApiGroup(resource),
          query: buildWatchQuery(
            rng,
            resourceVersionAt(time),
            '&labelSelector=%21service.kubernetes.io%2Fheadless%2C%21service.kubernetes.io%2Fservice-proxy-name',
          ),
          duration: 8 * MINUTE,
        };
      },
    ],
    [
      3,
      (rng) => buildLeaseRequest(ingress, 'ingress-nginx', 'ingress-nginx-leader', rng.chance(0.5) ? 'get' : 'update'),
    ],
    [
      2,
      (rng, time) => {
        const resource = rng.pick(['ingresses', 'services', 'endpointslices', 'configmaps']);
        return {
          actor: ingress,
          verb: 'watch',
          resource,
          group: findApiGroup(resource),
          query: buildWatchQuery(rng, resourceVersionAt(time)),
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
  ];
}

/** A flux controller reconciles one of its objects or renews its leader-election lease. */
function buildFluxRequest(rng: Random, controllers: Actor[]): RequestSpec {
  const [group, version, resource, namespace] = rng.pick(FLUX_KINDS);
  const actor = rng.pick(controllers);
  const name = namespace === 'apps' ? rng.pick(['web', 'shop']) : namespace === 'podinfo' ? 'podinfo' : 'flux-system';
  if (rng.chance(0.4))
    return { actor, verb: 'patch', resource, group, version, subresource: 'status', namespace, name };
  if (rng.chance(0.5)) return { actor, verb: 'get', resource, group, version, namespace, name };
  return buildLeaseRequest(actor, 'flux-system', `${actor.user.username.split(':').at(-1)}-leader-election`);
}

function buildPrometheusRequest(scope: FillerScope, actor: Actor, rng: Random, time: number): RequestSpec {
  const resource = rng.pick(['pods', 'endpoints', 'services']);
  if (rng.chance(0.3)) {
    const name = rng.pick(scope.cluster.nodes).name;
    return { actor, verb: 'get', resource: 'nodes', subresource: 'proxy', name, subpath: 'metrics/cadvisor' };
  }
  if (rng.chance(0.5)) {
    const namespace = rng.pick(scope.appNamespaces);
    return { actor, verb: 'list', resource, namespace, query: 'limit=500&resourceVersion=0' };
  }
  return {
    actor,
    verb: 'watch',
    resource,
    namespace: rng.pick(scope.appNamespaces),
    query: buildWatchQuery(rng, scope.resourceVersionAt(time)),
    duration: 9 * MINUTE,
  };
}

function buildAutoscalerRequest(rng: Random, actor: Actor): RequestSpec {
  const choice = rng.int(0, 2);
  if (choice === 0)
    return {
      actor,
      verb: 'update',
      resource: 'configmaps',
      namespace: 'kube-system',
      name: 'cluster-autoscaler-status',
    };
  if (choice === 1) return { actor, verb: 'list', resource: 'nodes', query: 'limit=500' };
  return buildLeaseRequest(actor, 'kube-system', 'cluster-autoscaler', 'get');
}

export function buildOperatorTemplates(scope: FillerScope): WeightedTemplate[] {
  const { cluster } = scope;
  const certManager = getPod(cluster, 'cert-manager').actor;
  const flux = ['source-controller', 'kustomize-controller', 'helm-controller', 'notification-controller'].map(
    (key) => getPod(cluster, key).actor,
  );
  const prometheus = getPod(cluster, 'prometheus-k8s').actor;
  const metricsServer = getPod(cluster, 'metrics-server').actor;
  const autoscaler = getPod(cluster, 'cluster-autoscaler').actor;
  return [
    [2, () => buildLeaseRequest(certManager, 'kube-system', 'cert-manager-controller')],
    [4, (rng) => buildFluxRequest(rng, flux)],
    [4, (rng, time) => buildPrometheusRequest(scope, prometheus, rng, time)],
    [
      1,
      (rng) => ({
        actor: metricsServer,
        verb: rng.chance(0.5) ? 'list' : 'get',
        resource: 'nodes',
        query: 'limit=500',
      }),
    ],
    [2, (rng) => buildAutoscalerRequest(rng, autoscaler)],
  ];
}

/** The CI runner's deploys: patch and read the app's deployment and service, try a canary service. */
function buildDeployerRequest(rng: Random, actor: Actor): RequestSpec {
  const namespace = rng.pick(['web', 'shop']);
  const app = namespace === 'web' ? 'frontend' : rng.pick(['checkout', 'orders-worker']);
  const choice = rng.int(0, 4);
  if (choice === 0) return { actor, verb: 'patch', resource: 'deployments', group: 'apps', namespace, name: app };
  if (choice === 1) return { actor, verb: 'get', resource: 'deployments', group: 'apps', namespace, name: app };
  if (choice === 2) return { actor, verb: 'patch', resource: 'services', namespace, name: app };
  if (choice === 3)
    return {
      actor,
      verb: 'list',
      resource: 'replicasets',
      group: 'apps',
      namespace,
      query: `labelSelector=app%3D${app}`,
    };
  return {
    actor,
    verb: 'create',
    resource: 'services',
    namespace,
    name: `${app}-canary`,
    code: rng.chance(0.7) ? 409 : 201,
  };
}

/** A person's everyday kubectl: pods, events, logs, deployments and nodes; denied outside their namespaces. */
function buildHumanRequest(scope: FillerScope, oncallViaProxy: Actor, rng: Random): RequestSpec {
  const { humans } = scope.cluster;
  const human = rng.pick([humans.alice, humans.bob, humans.oncall]);
  const restricted = human.allowedNamespaces[0] !== '*';
  const namespace = rng.pick(restricted ? human.allowedNamespaces : scope.appNamespaces);
  const pod = rng.pick(scope.appPods);
  const actor = human === humans.oncall && rng.chance(0.3) ? oncallViaProxy : human.actor;
  const podCode = restricted && !human.allowedNamespaces.includes(pod.namespace) ? 403 : 200;
  const choice = rng.int(0, 9);
  if (choice <= 2) return { actor, verb: 'list', resource: 'pods', namespace, query: 'limit=500' };
  if (choice === 3)
    return { actor, verb: 'get', resource: 'pods', namespace: pod.namespace, name: pod.name, code: podCode };
  if (choice === 4) return { actor, verb: 'list', resource: 'events', namespace, query: 'limit=500' };
  if (choice === 5) {
    return {
      actor,
      verb: 'get',
      resource: 'pods',
      subresource: 'log',
      namespace: pod.namespace,
      name: pod.name,
      code: podCode,
    };
  }
  if (choice === 6)
    return { actor, verb: 'list', resource: 'deployments', group: 'apps', namespace, query: 'limit=500' };
  if (choice === 7) return { actor, verb: 'list', resource: 'nodes', query: 'limit=500', code: restricted ? 403 : 200 };
  if (choice === 8 && human === humans.oncall) {
    const impersonatedUser = humans.bob.actor.user;
    return { actor, verb: 'list', resource: 'pods', namespace: 'web', query: 'limit=500', impersonatedUser };
  }
  return {
    actor,
    verb: 'get',
    resource: 'pods',
    namespace,
    name: `${rng.pick(['frontend', 'checkout'])}-${rng.suffix(10)}-${rng.suffix(5)}`,
    code: 404,
  };
}

export function buildPeopleTemplates(scope: FillerScope): WeightedTemplate[] {
  const { cluster } = scope;
  const deployer = getPod(cluster, 'gitlab-runner').actor;
  const oncallViaProxy: Actor = deepFreeze({ ...cluster.humans.oncall.actor, sourceIPs: ['10.20.1.5', '10.0.0.40'] });
  return [
    [3, (rng) => buildDeployerRequest(rng, deployer)],
    [5, (rng) => buildHumanRequest(scope, oncallViaProxy, rng)],
  ];
}

export function buildApplicationTemplates(scope: FillerScope): WeightedTemplate[] {
  const { cluster } = scope;
  const frontendPods = [getPod(cluster, 'frontend'), getPod(cluster, 'frontend-2')];
  const ordersWorker = getPod(cluster, 'orders-worker').actor;
  return [
    [
      2,
      (rng) =>
        rng.chance(0.5)
          ? buildLeaseRequest(ordersWorker, 'shop', 'orders-worker-leader')
          : {
              actor: rng.pick(frontendPods).actor,
              verb: 'get',
              resource: 'configmaps',
              namespace: 'web',
              name: 'frontend-config',
            },
    ],
  ];
}
