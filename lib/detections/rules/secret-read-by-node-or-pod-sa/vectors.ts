import { atSecond, buildAuditEvent, buildAuditEventSeries } from '../../vector-events';
import type { DetectionAuditEvent, RuleVector } from '../../types';
import type { SecretReadByNodeOrPodSaParameters } from './rule';

type Vector = RuleVector<SecretReadByNodeOrPodSaParameters>;

const POD_SA = 'system:serviceaccount:web:frontend';
const POD = 'frontend-6c9d7f8b4-k2m9p';

/** A pod's service account reading a secret with its bound token. */
function podRead(id: string, overrides: Partial<DetectionAuditEvent> = {}): DetectionAuditEvent {
  return buildAuditEvent(id, {
    username: POD_SA,
    groups: ['system:serviceaccounts', 'system:serviceaccounts:web', 'system:authenticated'],
    sourceIps: ['10.0.3.17'],
    namespace: 'web',
    name: 'frontend-db-credentials',
    podName: POD,
    ...overrides,
  });
}

const EXCLUDED_GROUPS = [
  'system:serviceaccounts:flux-system',
  'system:serviceaccounts:kyverno',
  'system:serviceaccounts:ibm-csi',
  'system:serviceaccounts:harvester-system',
  'system:serviceaccounts:cattle-system',
  'system:serviceaccounts:cattle-monitoring-system',
  'system:serviceaccounts:cluster-fleet-local-local-1a2b3c',
  'system:serviceaccounts:rabbitmq-system',
  'system:serviceaccounts:cattle-fleet-system',
];

const EXCLUDED_PODS: [string, string][] = [
  ['system:serviceaccount:security:trivy-operator', 'trivy-operator-5f6d8c7b9-abcde'],
  ['system:serviceaccount:cert-manager:cert-manager-cainjector', 'cert-manager-cainjector-7b8c9d-xyz12'],
  ['system:serviceaccount:monitoring:plat-central-monitoring-pr-operator', 'plat-central-monitoring-pr-operator-0'],
  ['system:serviceaccount:cert-manager:cert-manager', 'cert-manager-6d5f4c-q1w2e'],
];

export const vectors: Vector[] = [
  { name: 'pod service account gets a secret', events: [podRead('a1')], expect: { alerts: 1, matched: 1 } },
  {
    name: 'pod service account lists secrets cluster-wide',
    events: [podRead('a1', { verb: 'list', namespace: null, name: null, requestUri: '/api/v1/secrets' })],
    expect: { alerts: 1, matched: 1, details: [{ crossNamespace: true }] },
  },
  {
    name: 'node identity reads a secret',
    events: [
      buildAuditEvent('n1', {
        username: 'system:node:ip-10-0-3-17.ec2.internal',
        groups: ['system:nodes', 'system:authenticated'],
        sourceIps: ['10.0.3.17'],
      }),
    ],
    expect: { alerts: 1, matched: 1, details: [{ nodeIdentity: true }] },
  },
  {
    name: 'denied reads match like allowed ones',
    events: [podRead('d1', { responseCode: 403, decision: 'forbid', namespace: 'kube-system' })],
    expect: { alerts: 1, matched: 1 },
  },
  {
    name: '200 reads in 40 minutes fold into one alert with 200 evidence events',
    events: buildAuditEventSeries('r', 200, 0, 12, () => ({
      username: POD_SA,
      sourceIps: ['10.0.3.17'],
      podName: POD,
      namespace: 'web',
    })),
    expect: {
      alerts: 1,
      matched: 200,
      auditEventIds: [Array.from({ length: 200 }, (_, index) => `r-${index + 1}`)],
      windowStarts: [atSecond(0).toISOString()],
    },
  },
  {
    name: 'a read just inside the suppression window joins the alert',
    events: [podRead('w1', { time: atSecond(0) }), podRead('w2', { time: new Date(atSecond(3600).getTime() - 1) })],
    expect: { alerts: 1, auditEventIds: [['w1', 'w2']] },
  },
  {
    name: 'a read just outside the suppression window opens a new alert',
    events: [podRead('w1', { time: atSecond(0) }), podRead('w2', { time: atSecond(3600) })],
    expect: {
      alerts: 2,
      auditEventIds: [['w1'], ['w2']],
      windowStarts: [atSecond(0).toISOString(), atSecond(3600).toISOString()],
    },
  },
  {
    name: 'the window is tunable',
    params: { suppressionWindowMinutes: 5 },
    events: [podRead('t1', { time: atSecond(0) }), podRead('t2', { time: atSecond(301) })],
    expect: { alerts: 2 },
  },
  {
    name: 'a late event (delivered out of order) lands in the window of its event time',
    events: [podRead('l2', { time: atSecond(600) }), podRead('l1', { time: atSecond(0) })],
    expect: { alerts: 1, auditEventIds: [['l1', 'l2']], windowStarts: [atSecond(0).toISOString()] },
  },
  {
    name: 'an event inside a raised window joins it, detected long after the window opened',
    events: [
      podRead('p0', { time: atSecond(-1800) }),
      podRead('p1', { time: atSecond(60) }),
      podRead('p2', { time: atSecond(1900) }),
    ],
    batches: [{ events: ['p0'] }, { events: ['p1', 'p2'], detect: { from: atSecond(0), to: atSecond(2000) } }],
    expect: {
      alerts: 2,
      auditEventIds: [['p0', 'p1'], ['p2']],
      windowStarts: [atSecond(-1800).toISOString(), atSecond(1900).toISOString()],
    },
  },
  {
    // Issue 20, case 3: a late event re-anchors the window instead of opening a second, overlapping one.
    name: 'a late event before a raised window opens it earlier: one window, never two overlapping',
    events: [
      podRead('o1', { time: atSecond(1800) }),
      podRead('o2', { time: atSecond(4000) }),
      podRead('o0', { time: atSecond(0) }),
    ],
    batches: [{ events: ['o1', 'o2'] }, { events: ['o0'] }],
    expect: {
      alerts: 2,
      auditEventIds: [['o0', 'o1'], ['o2']],
      windowStarts: [atSecond(0).toISOString(), atSecond(4000).toISOString()],
    },
  },
  {
    name: 'the same service account in two clusters is two identities',
    events: [podRead('c1', { cluster: 'prod-eu' }), podRead('c2', { cluster: 'prod-us', time: atSecond(30) })],
    expect: { alerts: 2 },
  },
  {
    name: 'a request seen only at RequestReceived (before authorization decided) is evidence too',
    events: [
      podRead('s1', { completedAt: null, responseCode: null, decision: null }),
      podRead('s2', { time: atSecond(30) }),
    ],
    expect: { alerts: 1, auditEventIds: [['s1', 's2']], details: [{ eventCount: 2 }] },
  },
  {
    name: 'another trusted source IP is another alert',
    events: [podRead('i1', { sourceIps: ['10.0.3.17'] }), podRead('i2', { sourceIps: ['198.51.100.23'] })],
    expect: { alerts: 2 },
  },
  {
    name: 'multi-valued sourceIPs group on the last (trusted) one, whatever the forged ones say',
    events: [
      podRead('m1', { sourceIps: ['203.0.113.9', '10.0.3.17'] }),
      podRead('m2', { sourceIps: ['192.0.2.44', '10.0.3.17'] }),
    ],
    expect: { alerts: 1, auditEventIds: [['m1', 'm2']] },
  },
  {
    name: '127.0.0.1 anywhere in sourceIPs drops the event (upstream KQL on a multi-valued field)',
    events: [podRead('x1', { sourceIps: ['127.0.0.1'] }), podRead('x2', { sourceIps: ['127.0.0.1', '10.0.3.17'] })],
    expect: { alerts: 0, matched: 0 },
  },
  {
    name: '::1 is not excluded by this rule',
    events: [podRead('x1', { sourceIps: ['::1'] })],
    expect: { alerts: 1, matched: 1 },
  },
  {
    name: 'no source IP never matches',
    events: [podRead('x1', { sourceIps: [], sourceIp: null })],
    expect: { alerts: 0, matched: 0 },
  },
  {
    name: 'watch, create and non-secret resources do not match',
    events: [
      podRead('v1', { verb: 'watch' }),
      podRead('v2', { verb: 'create' }),
      podRead('v3', { resource: 'configmaps' }),
    ],
    expect: { alerts: 0, matched: 0 },
  },
  {
    name: 'humans and the malformed plural system:serviceaccounts: identity do not match',
    events: [
      podRead('u1', { username: 'alice@example.com' }),
      podRead('u2', { username: 'system:serviceaccounts:default:default' }),
      podRead('u3', { username: 'system:kube-controller-manager' }),
      podRead('u4', { username: null }),
    ],
    expect: { alerts: 0, matched: 0 },
  },
  ...EXCLUDED_GROUPS.map((group): Vector => ({
    name: `excluded group ${group}`,
    events: [podRead('g1', { groups: ['system:serviceaccounts', group, 'system:authenticated'] })],
    expect: { alerts: 0, matched: 0 },
  })),
  {
    name: 'a look-alike group is not excluded (exact match, not substring)',
    events: [podRead('g1', { groups: ['system:serviceaccounts:flux-system-evil', 'system:serviceaccounts:kyverno2'] })],
    expect: { alerts: 1, matched: 1 },
  },
  ...EXCLUDED_PODS.map(([username, podName]): Vector => ({
    name: `excluded service account and pod ${username} / ${podName}`,
    events: [podRead('e1', { username, podName })],
    expect: { alerts: 0, matched: 0 },
  })),
  {
    name: 'an excluded service account from another pod, or without a bound pod name, still matches',
    events: [
      podRead('e1', { username: 'system:serviceaccount:security:trivy-operator', podName: 'debug-shell' }),
      podRead('e2', { username: 'system:serviceaccount:cert-manager:cert-manager', podName: null }),
    ],
    expect: { alerts: 2, matched: 2 },
  },
  {
    name: 'an excluded pod-name prefix under another service account still matches',
    events: [podRead('e1', { username: 'system:serviceaccount:web:frontend', podName: 'cert-manager-6d5f4c-q1w2e' })],
    expect: { alerts: 1, matched: 1 },
  },
];
