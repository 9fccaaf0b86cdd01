// The shapes of the simulated cluster's inventory and the helpers every part of the plan shares.

import type { K8sUserInfo } from './types';

export const K8S_VERSION = 'v1.30.2';
const K8S_COMMIT = '3968350';

/** The user agent of a Kubernetes binary at the cluster's version. */
export function formatKubernetesAgent(binary: string, platform = 'linux/amd64'): string {
  return `${binary}/${K8S_VERSION} (${platform}) kubernetes/${K8S_COMMIT}`;
}

export const KUBECTL = formatKubernetesAgent('kubectl');

export type Node = { name: string; ip: string; uid: string; agentId: string; hostId: string };

export type Actor = {
  user: K8sUserInfo;
  sourceIPs: string[];
  userAgent: string;
  /** Share of this actor's requests the audit policy also logs at stage RequestReceived. */
  requestReceivedShare: number;
  allowReason: string;
};

export type Pod = {
  name: string;
  namespace: string;
  serviceAccount: string;
  uid: string;
  ip: string;
  node: Node;
  containerId: string;
  containerName: string;
  image: string;
  imageTag: string;
  processName: string;
  executable: string;
  args: string[];
  workingDirectory: string;
  /** Secrets the pod mounts: the kubelet watches them. */
  secrets: string[];
  actor: Actor;
};

export type Human = {
  actor: Actor;
  helm: Actor;
  allowedNamespaces: string[];
  release?: { name: string; namespace: string };
};

export type ControlPlane = {
  kcm: Actor;
  scheduler: Actor;
  apiserver: Actor;
  anonymous: Actor;
  controllers: Actor[];
};

export type Humans = { alice: Human; bob: Human; oncall: Human };

export type Cluster = {
  name: string;
  nodes: Node[];
  nodeActors: Actor[];
  pods: Pod[];
  pod: Record<string, Pod>;
  controlPlane: ControlPlane;
  humans: Humans;
  contractor: Actor;
  contractorAsOncall: Actor;
  stolenBob: Actor;
};

/** Hands out unused addresses in 10.0.<subnet>.0/24. */
export type IpAllocator = (subnet: number) => string;

export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

export function listServiceAccountGroups(namespace: string): string[] {
  return ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'];
}

export function formatRbacReason(
  kind: 'User' | 'Group' | 'ServiceAccount',
  subject: string,
  role: string,
  binding = role,
) {
  return `RBAC: allowed by ClusterRoleBinding "${binding}" of ClusterRole "${role}" to ${kind} "${subject}"`;
}

export function getPod(cluster: Cluster, key: string): Pod {
  const pod = cluster.pod[key];
  if (!pod) throw new Error(`scenario pod "${key}" missing`);
  return pod;
}
