// The simulated cluster: nodes, workloads and the identities that call the API (kubelets, the control
// plane, pods' service accounts, people). Built from its own random stream, in a fixed order.

import {
  deepFreeze,
  formatKubernetesAgent,
  formatRbacReason,
  KUBECTL,
  listServiceAccountGroups,
  type Actor,
  type Cluster,
  type ControlPlane,
  type Human,
  type Humans,
  type IpAllocator,
  type Node,
} from './cluster-model';
import { buildWorkloadPods } from './cluster-workloads';
import type { Random } from './random';

const KUBECTL_MAC = formatKubernetesAgent('kubectl', 'darwin/arm64');
const KUBECTL_WINDOWS = 'kubectl/v1.29.3 (windows/amd64) kubernetes/6813625';
const KCM_AGENT = formatKubernetesAgent('kube-controller-manager');
const HELM_AGENT = 'Helm/3.15.2';
const LOOPBACK = '127.0.0.1';
const NODE_COUNT = 6;

const CONTROLLER_NAMES = [
  'generic-garbage-collector',
  'endpointslice-controller',
  'replicaset-controller',
  'deployment-controller',
  'namespace-controller',
  'resourcequota-controller',
  'bootstrap-signer',
  'token-cleaner',
  'job-controller',
  'node-controller',
];

function createIpAllocator(rng: Random): IpAllocator {
  const usedIps = new Set<string>();
  return (subnet) => {
    for (;;) {
      const ip = `10.0.${subnet}.${rng.int(10, 250)}`;
      if (!usedIps.has(ip)) {
        usedIps.add(ip);
        return ip;
      }
    }
  };
}

function buildNodes(rng: Random, allocateIp: IpAllocator): Node[] {
  const nodes: Node[] = [];
  for (let index = 0; index < NODE_COUNT; index++) {
    const ip = allocateIp(1 + (index % 3));
    nodes.push({
      name: `ip-${ip.replaceAll('.', '-')}.ec2.internal`,
      ip,
      uid: rng.uuid(),
      agentId: rng.uuid(),
      hostId: rng.hex(32),
    });
  }
  return nodes;
}

function buildNodeActor(node: Node): Actor {
  return deepFreeze<Actor>({
    user: { username: `system:node:${node.name}`, groups: ['system:nodes', 'system:authenticated'] },
    sourceIPs: [node.ip],
    userAgent: formatKubernetesAgent('kubelet'),
    requestReceivedShare: 0,
    allowReason: '',
  });
}

function buildControllerActor(rng: Random, controller: string): Actor {
  return deepFreeze<Actor>({
    user: {
      username: `system:serviceaccount:kube-system:${controller}`,
      uid: rng.uuid(),
      groups: listServiceAccountGroups('kube-system'),
      extra: { 'authentication.kubernetes.io/credential-id': [`JTI=${rng.uuid()}`] },
    },
    sourceIPs: [LOOPBACK],
    userAgent: `${KCM_AGENT}/${controller}`,
    requestReceivedShare: 0,
    allowReason: formatRbacReason('ServiceAccount', `${controller}/kube-system`, `system:controller:${controller}`),
  });
}

function buildControlPlane(rng: Random): ControlPlane {
  const controllers = CONTROLLER_NAMES.map((controller) => buildControllerActor(rng, controller));
  return {
    kcm: deepFreeze<Actor>({
      user: { username: 'system:kube-controller-manager', groups: ['system:authenticated'] },
      sourceIPs: [LOOPBACK],
      userAgent: `${KCM_AGENT}/leader-election`,
      requestReceivedShare: 0,
      allowReason: formatRbacReason('User', 'system:kube-controller-manager', 'system:kube-controller-manager'),
    }),
    scheduler: deepFreeze<Actor>({
      user: { username: 'system:kube-scheduler', groups: ['system:authenticated'] },
      sourceIPs: [LOOPBACK],
      userAgent: `${formatKubernetesAgent('kube-scheduler')}/scheduler`,
      requestReceivedShare: 0,
      allowReason: formatRbacReason('User', 'system:kube-scheduler', 'system:kube-scheduler'),
    }),
    apiserver: deepFreeze<Actor>({
      user: { username: 'system:apiserver', uid: rng.uuid(), groups: ['system:authenticated', 'system:masters'] },
      sourceIPs: [LOOPBACK],
      userAgent: formatKubernetesAgent('kube-apiserver'),
      requestReceivedShare: 0,
      allowReason: '',
    }),
    anonymous: deepFreeze<Actor>({
      user: { username: 'system:anonymous', groups: ['system:unauthenticated'] },
      sourceIPs: ['10.0.0.12'],
      userAgent: 'kube-probe/1.30',
      requestReceivedShare: 0,
      allowReason: formatRbacReason('Group', 'system:unauthenticated', 'system:public-info-viewer'),
    }),
    controllers,
  };
}

function buildHuman(
  username: string,
  group: string,
  ip: string,
  userAgent: string,
  role: string,
  allowedNamespaces: string[],
  release?: Human['release'],
): Human {
  const user = { username, groups: [group, 'system:authenticated'] };
  const allowReason = formatRbacReason('Group', group, role, group);
  return {
    actor: deepFreeze<Actor>({ user, sourceIPs: [ip], userAgent, requestReceivedShare: 1, allowReason }),
    helm: deepFreeze<Actor>({ user, sourceIPs: [ip], userAgent: HELM_AGENT, requestReceivedShare: 1, allowReason }),
    allowedNamespaces,
    release,
  };
}

function buildHumans(): Humans {
  return {
    alice: buildHuman('alice@example.com', 'platform-admins', '10.20.4.17', KUBECTL_MAC, 'cluster-admin', ['*'], {
      name: 'payments-api',
      namespace: 'payments',
    }),
    bob: buildHuman('bob@example.com', 'developers', '10.20.7.102', KUBECTL, 'developer', ['web', 'default', 'shop'], {
      name: 'frontend',
      namespace: 'web',
    }),
    oncall: buildHuman('oncall', 'oncall', '10.20.1.5', KUBECTL, 'admin', ['*']),
  };
}

/** The identities the planted attacks use: a contractor, the shared on-call account and bob's stolen credentials. */
function buildIntruders(humans: Humans): Pick<Cluster, 'contractor' | 'contractorAsOncall' | 'stolenBob'> {
  const contractorIp = '198.51.100.23';
  return {
    contractor: deepFreeze<Actor>({
      user: { username: 'contractor@example.com', groups: ['contractors', 'system:authenticated'] },
      sourceIPs: [contractorIp],
      userAgent: KUBECTL_WINDOWS,
      requestReceivedShare: 1,
      allowReason: formatRbacReason('Group', 'contractors', 'edit', 'contractors-shop'),
    }),
    // The shared on-call account, used from the contractor's machine.
    contractorAsOncall: deepFreeze<Actor>({
      ...humans.oncall.actor,
      sourceIPs: [contractorIp],
      userAgent: KUBECTL_WINDOWS,
    }),
    stolenBob: deepFreeze<Actor>({
      ...humans.bob.actor,
      sourceIPs: ['203.0.113.50'],
      userAgent: 'python-requests/2.32.3',
    }),
  };
}

export function buildCluster(rng: Random, name: string): Cluster {
  const allocateIp = createIpAllocator(rng);
  const nodes = buildNodes(rng, allocateIp);
  const { pods, podByKey } = buildWorkloadPods(rng, nodes, allocateIp);
  const controlPlane = buildControlPlane(rng);
  const humans = buildHumans();
  return {
    name,
    nodes,
    nodeActors: nodes.map(buildNodeActor),
    pods,
    pod: podByKey,
    controlPlane,
    humans,
    ...buildIntruders(humans),
  };
}
