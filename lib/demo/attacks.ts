// The planted attacks for R1–R4, each recording the alert it must raise, and the decoys that look
// close to an attack but must raise none.

import type { RequestSpec } from './audit-events';
import { buildPaymentsApiCall } from './background';
import { deepFreeze, getPod, KUBECTL, type Actor, type Pod } from './cluster-model';
import {
  LIST_TOKEN_DIRECTORY,
  READ_APP_LOG,
  READ_RESOLV_CONF,
  READ_TOKEN,
  READ_TOKEN_NAMESPACE,
  runInteractiveCommand,
} from './file-events';
import {
  buildAlertKey,
  describeSecretEnumerated,
  describeSecretTouched,
  distinct,
  isApiResponse,
  RULE,
  summarizeAlert,
} from './ground-truth';
import { openShell, type PlanContext } from './plan-context';
import type { Random } from './random';
import { HOUR, MINUTE, SECOND } from './time';
import type { DefendFileEvent, K8sAuditEvent } from './types';

type Request = Omit<RequestSpec, 'actor'>;

const REVIEW_OWN_PERMISSIONS: Request = {
  verb: 'create',
  resource: 'selfsubjectrulesreviews',
  group: 'authorization.k8s.io',
  code: 201,
};

const COMPROMISED_POD_READS: Request[] = [
  { verb: 'list', resource: 'secrets', namespace: 'web', query: 'limit=500' },
  { verb: 'get', resource: 'secrets', namespace: 'web', name: 'frontend-db-credentials' },
  { verb: 'list', resource: 'secrets', namespace: 'web', query: 'limit=500' },
  { verb: 'get', resource: 'secrets', namespace: 'web', name: 'frontend-session-key' },
  { verb: 'list', resource: 'secrets', namespace: 'payments', query: 'limit=500', code: 403 },
  { verb: 'list', resource: 'secrets', namespace: 'web', query: 'limit=500' },
  { verb: 'list', resource: 'secrets', namespace: 'kube-system', query: 'limit=500', code: 403 },
  { verb: 'get', resource: 'secrets', namespace: 'web', name: 'frontend-db-credentials' },
  { verb: 'list', resource: 'secrets', namespace: 'default', query: 'limit=500', code: 403 },
  { verb: 'list', resource: 'secrets', query: 'limit=500', code: 403 },
];

/** [namespace, secret, HTTP status] */
const BURST_TARGETS: [string, string, number][] = [
  ['web', 'frontend-tls', 200],
  ['web', 'frontend-db-credentials', 200],
  ['payments', 'payments-db-credentials', 403],
  ['payments', 'stripe-api-key', 403],
  ['default', 'registry-credentials', 200],
  ['shop', 'checkout-db', 200],
  ['kube-system', 'aws-load-balancer-webhook-tls', 403],
  ['web', 'frontend-db-credentials', 200],
];

const ENUMERATED_NAMESPACES = [
  'shop',
  'web',
  'payments',
  'payments-staging',
  'default',
  'kube-system',
  'ci',
  'cert-manager',
  'flux-system',
  'ingress-nginx',
  'monitoring',
  'podinfo',
];

/** [namespace, secret, HTTP status] */
const ENUMERATION_GETS: [string, string, number][] = [
  ['shop', 'checkout-db', 200],
  ['shop', 'checkout-stripe-webhook', 200],
  ['shop', 'orders-worker-queue', 200],
  ['payments', 'payments-db-credentials', 403],
  ['default', 'registry-credentials', 403],
  ['web', 'frontend-tls', 403],
  ['kube-system', 'cluster-autoscaler-aws', 403],
];

/** What the stolen token is used for, and how many seconds after the token read. */
const DISCOVERY: [Request, number][] = [
  [REVIEW_OWN_PERMISSIONS, 4],
  [{ verb: 'list', resource: 'pods', namespace: 'payments' }, 7],
  [{ verb: 'get', resource: 'namespaces', name: 'payments', code: 403 }, 10],
  [{ verb: 'list', resource: 'pods', namespace: 'kube-system', code: 403 }, 13],
  [{ verb: 'list', resource: 'namespaces', code: 403 }, 16],
  [{ verb: 'list', resource: 'services', namespace: 'payments' }, 19],
];

function alignUp(time: number, bucket: number): number {
  return Math.ceil(time / bucket) * bucket;
}

/**
 * Starts planted activity at the next epoch-aligned bucket (plus an offset) when it still fits, so an
 * engine that buckets windows on the epoch sees it in one bucket, as an engine anchoring on the first
 * match does.
 */
function placeAligned(preferred: number, bucket: number, offset: number, duration: number, latestEnd: number) {
  const aligned = alignUp(preferred, bucket) + offset;
  return aligned + duration <= latestEnd ? aligned : preferred;
}

/** The `index`th of evenly spaced requests from `first`, every one but the first a little late. */
function staggerTime(rng: Random, first: number, index: number, gap: number, jitter: number): number {
  return first + index * gap + (index === 0 ? 0 : rng.int(0, jitter));
}

/** A token read `fraction` into the span, on a whole millisecond as file events carry them. */
function placeTokenRead(context: PlanContext, fraction: number): number {
  return Math.floor((context.start + Math.floor(fraction * context.span)) / 1000) * 1000;
}

function plantCompromisedPodServiceAccount(context: PlanContext) {
  const { cluster, rng, timeline, start, span, end } = context;
  const pod = getPod(cluster, 'frontend');
  const actor: Actor = deepFreeze({ ...pod.actor, userAgent: KUBECTL, requestReceivedShare: 0.3 });
  const duration = 40 * MINUTE;
  const first = placeAligned(start + Math.floor(0.15 * span), HOUR, 2 * MINUTE, duration, end - 10 * MINUTE);
  timeline.add({ actor, ...REVIEW_OWN_PERMISSIONS }, first - 25 * SECOND);
  const rows: K8sAuditEvent[] = [];
  // 200 reads, one every ~12 s: 40 minutes, within one 60-minute suppression window.
  for (let index = 0; index < 200; index++) {
    const time = staggerTime(rng, first, index, 12 * SECOND, 2 * SECOND);
    rows.push(...timeline.add({ actor, ...COMPROMISED_POD_READS[index % COMPROMISED_POD_READS.length]! }, time));
  }
  context.alerts.push(
    summarizeAlert({
      ruleId: RULE.r1,
      scenario: 'r1-compromised-pod-service-account',
      summary: `Pod ${pod.name} (web) used its service-account token from kubectl to read and list secrets 200 times in 40 minutes, across namespaces.`,
      severity: 'medium',
      key: buildAlertKey(actor, pod),
      rows,
      value: describeSecretTouched,
    }),
  );
}

function plantNodeSecretRead(context: PlanContext) {
  const { cluster, timeline, start, span, end } = context;
  const node = cluster.nodes[3]!;
  const actor: Actor = deepFreeze({ ...cluster.nodeActors[3]!, userAgent: KUBECTL });
  const first = placeAligned(start + Math.floor(0.5 * span), HOUR, 5 * MINUTE, 2 * MINUTE, end - 5 * MINUTE);
  const noRelationship = `no relationship found between node '${node.name}' and this object`;
  const rows = [
    ...timeline.add(
      {
        actor,
        verb: 'get',
        resource: 'secrets',
        namespace: 'payments',
        name: 'payments-db-credentials',
        code: 403,
        forbidReason: noRelationship,
      },
      first,
    ),
    ...timeline.add(
      { actor, verb: 'list', resource: 'secrets', namespace: 'kube-system', query: 'limit=500', code: 403 },
      first + 7 * SECOND,
    ),
    ...timeline.add(
      { actor, verb: 'get', resource: 'secrets', namespace: 'web', name: 'frontend-tls' },
      first + 19 * SECOND,
    ),
  ];
  context.alerts.push(
    summarizeAlert({
      ruleId: RULE.r1,
      scenario: 'r1-node-credential-secret-read',
      summary: `The kubelet identity of ${node.name} read secrets with kubectl from the node address: stolen node credentials.`,
      severity: 'medium',
      key: buildAlertKey(actor),
      rows,
      value: describeSecretTouched,
    }),
  );
}

function plantSecretGetBurst(context: PlanContext) {
  const { cluster, timeline, rng, start, span, end } = context;
  const actor = cluster.stolenBob;
  const first = placeAligned(start + Math.floor(0.4 * span), 6 * MINUTE, 30 * SECOND, 3 * MINUTE, end - 5 * MINUTE);
  const rows: K8sAuditEvent[] = [];
  BURST_TARGETS.forEach(([namespace, name, code], index) => {
    const time = staggerTime(rng, first, index, 20 * SECOND, 3 * SECOND);
    rows.push(...timeline.add({ actor, verb: 'get', resource: 'secrets', namespace, name, code }, time));
  });
  context.alerts.push(
    summarizeAlert({
      ruleId: RULE.r2,
      scenario: 'r2-stolen-credentials-secret-burst',
      summary: `bob@example.com's credentials fetched 7 distinct secrets across 5 namespaces in under 3 minutes with python-requests from 203.0.113.50 (bob works from 10.20.7.102 with kubectl).`,
      severity: 'high',
      key: buildAlertKey(actor),
      rows,
      value: (event) => event.objectRef?.name ?? null,
    }),
  );
}

/** The contractor's secret requests: lists across namespaces, gets by name, one watch. */
function addEnumerationRequests(context: PlanContext, actor: Actor, first: number): K8sAuditEvent[] {
  const { timeline, rng } = context;
  const rows: K8sAuditEvent[] = [];
  ENUMERATED_NAMESPACES.forEach((namespace, index) => {
    const time = staggerTime(rng, first, index, 45 * SECOND, 5 * SECOND);
    const code = namespace === 'shop' ? 200 : 403;
    rows.push(...timeline.add({ actor, verb: 'list', resource: 'secrets', namespace, query: 'limit=500', code }, time));
  });
  rows.push(
    ...timeline.add(
      { actor, verb: 'list', resource: 'secrets', query: 'limit=500', code: 403 },
      first + 9 * MINUTE + 20 * SECOND,
    ),
  );
  // Gets 200 s apart: never 3 distinct names within 6 minutes, so R2 stays quiet for this fingerprint.
  ENUMERATION_GETS.forEach(([namespace, name, code], index) => {
    const time = first + 30 * SECOND + index * 200 * SECOND + rng.int(0, 4 * SECOND);
    rows.push(...timeline.add({ actor, verb: 'get', resource: 'secrets', namespace, name, code }, time));
  });
  rows.push(
    ...timeline.add(
      { actor, verb: 'watch', resource: 'secrets', namespace: 'shop', query: 'watch=true', duration: 70 * SECOND },
      first + 22 * MINUTE,
    ),
  );
  return rows;
}

function plantSecretEnumeration(context: PlanContext) {
  const { cluster, timeline, start, span, end } = context;
  const actor = cluster.contractor;
  const first = placeAligned(start + Math.floor(0.6 * span), 30 * MINUTE, MINUTE, 25 * MINUTE, end - 5 * MINUTE);
  timeline.add({ actor, verb: 'list', resource: 'pods', namespace: 'shop', query: 'limit=500' }, first - 3 * MINUTE);
  timeline.add({ actor, ...REVIEW_OWN_PERMISSIONS }, first - 2 * MINUTE);
  const rows = addEnumerationRequests(context, actor, first);
  context.alerts.push(
    summarizeAlert({
      ruleId: RULE.r3,
      scenario: 'r3-contractor-secret-enumeration',
      summary:
        'contractor@example.com listed secrets in 12 namespaces and cluster-wide, fetched 7 secrets by name and watched one namespace within 25 minutes; most requests were denied.',
      severity: 'high',
      key: { username: actor.user.username },
      rows,
      value: describeSecretEnumerated,
    }),
  );
}

/** payments-staging's pod of the same name makes its routine calls in the minute after the token read. */
function plantSamePodNameDecoy(context: PlanContext, tokenRead: number, tokenOpen: DefendFileEvent) {
  const { cluster, timeline } = context;
  const decoyPod = getPod(cluster, 'payments-api@payments-staging');
  const decoyRows = [
    ...timeline.add(buildPaymentsApiCall(decoyPod, 'read-flags'), tokenRead + 9 * SECOND),
    ...timeline.add(buildPaymentsApiCall(decoyPod, 'renew-lease'), tokenRead + 38 * SECOND),
  ].filter(isApiResponse);
  context.decoys.push({
    ruleId: RULE.r4,
    scenario: 'r4-same-pod-name-other-namespace',
    summary: `${decoyPod.name} in payments-staging (same pod name, other namespace) made its routine API calls in the 60 s after the token read in payments.`,
    reason:
      'Vigil joins the file event to audit events on pod name and namespace; upstream joins on the bare pod name.',
    key: { username: decoyPod.actor.user.username, podName: decoyPod.name, namespace: decoyPod.namespace },
    auditIds: distinct(decoyRows.map((row) => row.auditID)),
    fileEventIds: [tokenOpen.event.id],
    upstreamWouldAlert: true,
  });
}

/** The contractor, signed in as oncall, opens a shell in `pod` and reads its token; returns that file event. */
function readTokenInShell(context: PlanContext, pod: Pod, tokenRead: number): DefendFileEvent {
  const { cluster, fileContext } = context;
  const shellPid = openShell(context, cluster.contractorAsOncall, pod, tokenRead - 48 * SECOND, 4 * MINUTE);
  const millis = tokenRead / 1000;
  runInteractiveCommand(fileContext, pod, millis - 36_000, shellPid, LIST_TOKEN_DIRECTORY);
  runInteractiveCommand(fileContext, pod, millis - 21_000, shellPid, READ_TOKEN_NAMESPACE);
  return runInteractiveCommand(fileContext, pod, millis, shellPid, READ_TOKEN);
}

function plantTokenTheft(context: PlanContext) {
  const { cluster, timeline, rng } = context;
  const pod = getPod(cluster, 'payments-api@payments');
  const tokenRead = placeTokenRead(context, 0.8);
  context.quietWindows.push([tokenRead - 2 * MINUTE, tokenRead + 2 * MINUTE]);
  const tokenOpen = readTokenInShell(context, pod, tokenRead);
  const actor: Actor = deepFreeze({ ...pod.actor, userAgent: 'curl/8.5.0' });
  const rows: K8sAuditEvent[] = [];
  for (const [spec, seconds] of DISCOVERY) {
    rows.push(...timeline.add({ actor, ...spec }, tokenRead + seconds * SECOND + rng.int(0, 400_000)));
  }
  context.alerts.push(
    summarizeAlert({
      ruleId: RULE.r4,
      scenario: 'r4-token-theft-then-discovery',
      summary: `An interactive shell in ${pod.name} (payments), opened through kubectl exec as "oncall" from the contractor's address, read the service-account token; within 20 s the pod's identity ran discovery with curl.`,
      severity: 'medium',
      key: { username: actor.user.username, podName: pod.name, namespace: pod.namespace },
      rows: rows.filter(isApiResponse),
      files: [tokenOpen],
      value: () => null,
    }),
  );
  plantSamePodNameDecoy(context, tokenRead, tokenOpen);
}

function plantTokenReadWithoutApiCall(context: PlanContext) {
  const { cluster, fileContext } = context;
  const pod = getPod(cluster, 'checkout');
  const tokenRead = placeTokenRead(context, 0.3);
  const shellPid = openShell(context, cluster.humans.oncall.actor, pod, tokenRead - 40 * SECOND, 6 * MINUTE);
  const millis = tokenRead / 1000;
  runInteractiveCommand(fileContext, pod, millis - 25_000, shellPid, READ_RESOLV_CONF);
  const tokenOpen = runInteractiveCommand(fileContext, pod, millis, shellPid, READ_TOKEN);
  runInteractiveCommand(fileContext, pod, millis + 30_000, shellPid, READ_APP_LOG);
  context.decoys.push({
    ruleId: RULE.r4,
    scenario: 'r4-token-read-without-api-request',
    summary: `"oncall" read the service-account token in an interactive shell in ${pod.name} (shop) while troubleshooting; the pod never calls the Kubernetes API.`,
    reason: 'No audit event from the pod within 60 s of the token read: the sequence never completes.',
    key: { podName: pod.name, namespace: pod.namespace },
    auditIds: [],
    fileEventIds: [tokenOpen.event.id],
    upstreamWouldAlert: false,
  });
}

/** Plants every attack and decoy, in a fixed order: each draws from the plan's random stream. */
export function plantAttacks(context: PlanContext) {
  plantCompromisedPodServiceAccount(context);
  plantSecretGetBurst(context);
  plantNodeSecretRead(context);
  plantSecretEnumeration(context);
  plantTokenReadWithoutApiCall(context);
  plantTokenTheft(context);
}
