// The cluster's workloads: every pod, its container and process, and the service-account identity
// it calls the API with. Pods are added in a fixed order, as the draws from `rng` depend on it.

import {
  deepFreeze,
  formatKubernetesAgent,
  formatRbacReason,
  K8S_VERSION,
  KUBECTL,
  listServiceAccountGroups,
  type Actor,
  type IpAllocator,
  type Node,
  type Pod,
} from './cluster-model';
import type { Random } from './random';

const APP_NAMESPACES = new Set(['web', 'shop', 'payments', 'payments-staging', 'ci']);

type PodSpec = {
  name: string;
  namespace: string;
  serviceAccount: string;
  container: string;
  image: string;
  tag: string;
  process: string;
  executable: string;
  args: string[];
  userAgent: string;
  secrets?: string[];
  hostNetwork?: boolean;
  node?: number;
  /** Name the plan looks the pod up by. */
  key?: string;
};

/** A Deployment's single pod, named after it, running `/usr/local/bin/<process>`. */
type DeploymentSpec = {
  base: string;
  namespace: string;
  serviceAccount: string;
  image: string;
  tag: string;
  process: string;
  userAgent: string;
  secrets?: string[];
};

type PodRegistry = {
  rng: Random;
  nodes: Node[];
  allocateIp: IpAllocator;
  serviceAccountUids: Map<string, string>;
  pods: Pod[];
  podByKey: Record<string, Pod>;
};

function formatGoAgent(binary: string, version = 'v0.0.0'): string {
  return `${binary}/${version} (linux/amd64) kubernetes/$Format`;
}

function nameReplicaSet(rng: Random, deployment: string): string {
  return `${deployment}-${rng.suffix(10)}`;
}

function buildPodActor(rng: Random, spec: PodSpec, node: Node, uid: string, ip: string, saUid: string): Actor {
  return deepFreeze<Actor>({
    user: {
      username: `system:serviceaccount:${spec.namespace}:${spec.serviceAccount}`,
      uid: saUid,
      groups: listServiceAccountGroups(spec.namespace),
      // Go marshals map keys sorted, so this is the order real events carry.
      extra: {
        'authentication.kubernetes.io/credential-id': [`JTI=${rng.uuid()}`],
        'authentication.kubernetes.io/node-name': [node.name],
        'authentication.kubernetes.io/node-uid': [node.uid],
        'authentication.kubernetes.io/pod-name': [spec.name],
        'authentication.kubernetes.io/pod-uid': [uid],
      },
    },
    sourceIPs: [ip],
    userAgent: spec.userAgent,
    // The audit policy logs RequestReceived for a share of application requests, never for infrastructure.
    requestReceivedShare: APP_NAMESPACES.has(spec.namespace) ? 0.3 : 0,
    allowReason: formatRbacReason('ServiceAccount', `${spec.serviceAccount}/${spec.namespace}`, spec.serviceAccount),
  });
}

function addPod(registry: PodRegistry, spec: PodSpec): Pod {
  const { rng, nodes, serviceAccountUids } = registry;
  const node = nodes[spec.node ?? rng.int(0, nodes.length - 1)]!;
  const saKey = `${spec.namespace}/${spec.serviceAccount}`;
  if (!serviceAccountUids.has(saKey)) serviceAccountUids.set(saKey, rng.uuid());
  const uid = rng.uuid();
  const ip = spec.hostNetwork ? node.ip : registry.allocateIp(Number(node.ip.split('.')[2]));
  const containerId = rng.hex(64);
  const pod: Pod = {
    name: spec.name,
    namespace: spec.namespace,
    serviceAccount: spec.serviceAccount,
    uid,
    ip,
    node,
    containerId,
    containerName: spec.container,
    image: spec.image,
    imageTag: spec.tag,
    processName: spec.process,
    executable: spec.executable,
    args: spec.args,
    workingDirectory: '/app',
    secrets: spec.secrets ?? [],
    actor: buildPodActor(rng, spec, node, uid, ip, serviceAccountUids.get(saKey)!),
  };
  registry.pods.push(pod);
  if (spec.key) registry.podByKey[spec.key] = pod;
  return pod;
}

function addDeploymentPod(registry: PodRegistry, spec: DeploymentSpec): Pod {
  const { base, process } = spec;
  return addPod(registry, {
    name: `${nameReplicaSet(registry.rng, base)}-${registry.rng.suffix(5)}`,
    namespace: spec.namespace,
    serviceAccount: spec.serviceAccount,
    container: base,
    image: spec.image,
    tag: spec.tag,
    process,
    executable: `/usr/local/bin/${process}`,
    args: [process],
    userAgent: spec.userAgent,
    secrets: spec.secrets ?? [],
    key: base,
  });
}

function addKubeSystemPods(registry: PodRegistry) {
  const coredns = nameReplicaSet(registry.rng, 'coredns');
  for (let replica = 0; replica < 2; replica++) {
    addPod(registry, {
      name: `${coredns}-${registry.rng.suffix(5)}`,
      namespace: 'kube-system',
      serviceAccount: 'coredns',
      container: 'coredns',
      image: 'registry.k8s.io/coredns/coredns',
      tag: 'v1.11.1',
      process: 'coredns',
      executable: '/coredns',
      args: ['/coredns', '-conf', '/etc/coredns/Corefile'],
      userAgent: formatGoAgent('coredns', 'v1.11.1'),
    });
  }
  registry.nodes.forEach((_node, index) =>
    addPod(registry, {
      name: `kube-proxy-${registry.rng.suffix(5)}`,
      namespace: 'kube-system',
      serviceAccount: 'kube-proxy',
      container: 'kube-proxy',
      image: 'registry.k8s.io/kube-proxy',
      tag: K8S_VERSION,
      process: 'kube-proxy',
      executable: '/usr/local/bin/kube-proxy',
      args: ['kube-proxy', '--config=/var/lib/kube-proxy/config'],
      userAgent: formatKubernetesAgent('kube-proxy'),
      hostNetwork: true,
      node: index,
    }),
  );
  addDeploymentPod(registry, {
    base: 'cluster-autoscaler',
    namespace: 'kube-system',
    serviceAccount: 'cluster-autoscaler',
    image: 'registry.k8s.io/autoscaling/cluster-autoscaler',
    tag: 'v1.30.1',
    process: 'cluster-autoscaler',
    userAgent: formatGoAgent('cluster-autoscaler', 'v1.30.1'),
  });
  addDeploymentPod(registry, {
    base: 'metrics-server',
    namespace: 'kube-system',
    serviceAccount: 'metrics-server',
    image: 'registry.k8s.io/metrics-server/metrics-server',
    tag: 'v0.7.1',
    process: 'metrics-server',
    userAgent: formatGoAgent('metrics-server'),
  });
}

function addAddOnPods(registry: PodRegistry) {
  addDeploymentPod(registry, {
    base: 'ingress-nginx-controller',
    namespace: 'ingress-nginx',
    serviceAccount: 'ingress-nginx',
    image: 'registry.k8s.io/ingress-nginx/controller',
    tag: 'v1.10.1',
    process: 'nginx-ingress-controller',
    userAgent: 'nginx-ingress-controller/v1.10.1 (linux/amd64) ingress-nginx/4fb5aac1dd3669daa3a14d9de3e3cdb371b4c518',
    secrets: ['ingress-nginx-admission'],
  });
  addDeploymentPod(registry, {
    base: 'cert-manager',
    namespace: 'cert-manager',
    serviceAccount: 'cert-manager',
    image: 'quay.io/jetstack/cert-manager-controller',
    tag: 'v1.14.4',
    process: 'controller',
    userAgent: 'cert-manager-controller/v1.14.4 (linux/amd64) cert-manager/f144e3c61bc0',
  });
  addDeploymentPod(registry, {
    base: 'cert-manager-cainjector',
    namespace: 'cert-manager',
    serviceAccount: 'cert-manager-cainjector',
    image: 'quay.io/jetstack/cert-manager-cainjector',
    tag: 'v1.14.4',
    process: 'cainjector',
    userAgent: 'cert-manager-cainjector/v1.14.4 (linux/amd64) cert-manager/f144e3c61bc0',
  });
  for (const controller of ['source', 'kustomize', 'helm', 'notification']) {
    addDeploymentPod(registry, {
      base: `${controller}-controller`,
      namespace: 'flux-system',
      serviceAccount: `${controller}-controller`,
      image: `ghcr.io/fluxcd/${controller}-controller`,
      tag: 'v1.3.0',
      process: 'manager',
      userAgent: `flux-${controller}-controller/v1.3.0`,
    });
  }
  addPod(registry, {
    name: 'prometheus-k8s-0',
    namespace: 'monitoring',
    serviceAccount: 'prometheus-k8s',
    container: 'prometheus',
    image: 'quay.io/prometheus/prometheus',
    tag: 'v2.52.0',
    process: 'prometheus',
    executable: '/bin/prometheus',
    args: ['/bin/prometheus', '--config.file=/etc/prometheus/config_out/prometheus.env.yaml'],
    userAgent: 'Prometheus/2.52.0',
    key: 'prometheus-k8s',
  });
}

function addApplicationPods(registry: PodRegistry) {
  addDeploymentPod(registry, {
    base: 'gitlab-runner',
    namespace: 'ci',
    serviceAccount: 'deployer',
    image: 'registry.gitlab.com/gitlab-org/gitlab-runner',
    tag: 'v17.1.0',
    process: 'gitlab-runner',
    userAgent: KUBECTL,
  });
  const frontend = nameReplicaSet(registry.rng, 'frontend');
  for (let replica = 0; replica < 2; replica++) {
    addPod(registry, {
      name: `${frontend}-${registry.rng.suffix(5)}`,
      namespace: 'web',
      serviceAccount: 'frontend',
      container: 'frontend',
      image: 'registry.example.com/web/frontend',
      tag: '4.12.0',
      process: 'node',
      executable: '/usr/local/bin/node',
      args: ['node', 'server.js'],
      userAgent: formatGoAgent('frontend'),
      secrets: ['frontend-tls', 'frontend-db-credentials'],
      key: replica === 0 ? 'frontend' : 'frontend-2',
    });
  }
  addDeploymentPod(registry, {
    base: 'checkout',
    namespace: 'shop',
    serviceAccount: 'checkout',
    image: 'registry.example.com/shop/checkout',
    tag: '1.8.3',
    process: 'checkout',
    userAgent: formatGoAgent('checkout'),
    secrets: ['checkout-db'],
  });
  addDeploymentPod(registry, {
    base: 'orders-worker',
    namespace: 'shop',
    serviceAccount: 'orders-worker',
    image: 'registry.example.com/shop/orders-worker',
    tag: '1.8.3',
    process: 'orders-worker',
    userAgent: formatGoAgent('orders-worker'),
  });
  for (const namespace of ['payments', 'payments-staging']) {
    addPod(registry, {
      name: 'payments-api-0',
      namespace,
      serviceAccount: 'payments-api',
      container: 'payments-api',
      image: 'registry.example.com/payments/payments-api',
      tag: namespace === 'payments' ? '2.3.1' : '2.4.0-rc.2',
      process: 'java',
      executable: '/opt/java/openjdk/bin/java',
      args: ['java', '-jar', '/app/payments-api.jar'],
      userAgent: formatGoAgent('payments-api'),
      secrets: ['payments-db-credentials'],
      key: `payments-api@${namespace}`,
    });
  }
}

/** Every pod, in the order they are created, and the ones the plan looks up, by key. */
export function buildWorkloadPods(rng: Random, nodes: Node[], allocateIp: IpAllocator) {
  const registry: PodRegistry = { rng, nodes, allocateIp, serviceAccountUids: new Map(), pods: [], podByKey: {} };
  addKubeSystemPods(registry);
  addAddOnPods(registry);
  addApplicationPods(registry);
  return { pods: registry.pods, podByKey: registry.podByKey };
}
