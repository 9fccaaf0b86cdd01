import { atSecond, buildAuditEvent } from '../../vector-events';
import type { DetectionAuditEvent, RuleVector } from '../../types';
import type { RapidSecretGetParameters } from './rule';

type Vector = RuleVector<RapidSecretGetParameters>;

const UA = 'python-requests/2.31.0';

/** bob's stolen credentials fetching a secret by name from an outside address. */
function secretGet(id: string, seconds: number, name: string, overrides: Partial<DetectionAuditEvent> = {}) {
  return buildAuditEvent(id, {
    username: 'bob@example.com',
    sourceIps: ['203.0.113.50'],
    userAgent: UA,
    time: atSecond(seconds),
    name,
    ...overrides,
  });
}

const burst = (prefix: string, overrides: Partial<DetectionAuditEvent> = {}) => [
  secretGet(`${prefix}1`, 0, 'frontend-tls', overrides),
  secretGet(`${prefix}2`, 20, 'stripe-api-key', overrides),
  secretGet(`${prefix}3`, 40, 'registry-credentials', overrides),
];

const EXCLUDED_USERS = [
  'system:kube-controller-manager',
  'system:kube-scheduler',
  'system:serviceaccount:flux-system:kustomize-controller',
  'system:serviceaccount:flux-system:helm-controller',
  'system:serviceaccount:flux-system:source-controller',
  'system:serviceaccount:security:trivy-operator',
];

export const vectors: Vector[] = [
  {
    name: 'three distinct secrets in 40 seconds',
    events: burst('b'),
    expect: { alerts: 1, matched: 3, auditEventIds: [['b1', 'b2', 'b3']], severities: ['high'] },
  },
  {
    name: 'the alert lists names, namespaces and the allow/deny mix',
    events: [
      secretGet('o1', 0, 'frontend-tls', { namespace: 'web' }),
      secretGet('o2', 20, 'stripe-api-key', { namespace: 'payments', responseCode: 403, decision: 'forbid' }),
      secretGet('o3', 40, 'registry-credentials', { namespace: 'default' }),
    ],
    expect: {
      alerts: 1,
      details: [
        {
          distinctSecretCount: 3,
          secretNames: ['frontend-tls', 'stripe-api-key', 'registry-credentials'],
          namespaces: ['web', 'payments', 'default'],
          outcomes: ['allow', 'forbid'],
          deniedCount: 1,
        },
      ],
    },
  },
  {
    name: 'two distinct secrets are not enough',
    events: [secretGet('t1', 0, 'a'), secretGet('t2', 10, 'b'), secretGet('t3', 20, 'a')],
    expect: { alerts: 0, matched: 3 },
  },
  {
    name: 'the same secret fetched many times is not a burst',
    events: [0, 10, 20, 30, 40].map((seconds, index) => secretGet(`s${index}`, seconds, 'frontend-tls')),
    expect: { alerts: 0, matched: 5 },
  },
  {
    name: 'three names spread over exactly six minutes qualify',
    events: [secretGet('w1', 0, 'a'), secretGet('w2', 180, 'b'), secretGet('w3', 360, 'c')],
    expect: { alerts: 1 },
  },
  {
    name: 'three names spread over six minutes and one millisecond do not',
    events: [
      secretGet('w1', 0, 'a'),
      secretGet('w2', 180, 'b'),
      secretGet('w3', 0, 'c', { time: new Date(atSecond(360).getTime() + 1) }),
    ],
    expect: { alerts: 0 },
  },
  {
    name: 'the window slides: the alert opens at the first event of the earliest qualifying window',
    events: [secretGet('e1', 0, 'a'), secretGet('e2', 300, 'b'), secretGet('e3', 600, 'c'), secretGet('e4', 620, 'd')],
    expect: { alerts: 1, auditEventIds: [['e2', 'e3', 'e4']], windowStarts: [atSecond(300).toISOString()] },
  },
  {
    name: 'the burst stays open while gets keep coming within the window, and a gap closes it',
    events: [
      ...burst('b'),
      secretGet('c1', 340, 'frontend-tls'),
      secretGet('c2', 700, 'frontend-tls'),
      secretGet('n1', 1200, 'a'),
      secretGet('n2', 1210, 'b'),
      secretGet('n3', 1220, 'c'),
    ],
    expect: {
      alerts: 2,
      auditEventIds: [
        ['b1', 'b2', 'b3', 'c1', 'c2'],
        ['n1', 'n2', 'n3'],
      ],
      windowStarts: [atSecond(0).toISOString(), atSecond(1200).toISOString()],
    },
  },
  {
    name: 'thresholds and windows are tunable',
    params: { minDistinctSecrets: 4, windowMinutes: 1 },
    events: [...burst('b'), secretGet('b4', 100, 'd')],
    expect: { alerts: 0 },
  },
  {
    name: 'late events are placed by event time',
    events: [secretGet('l3', 40, 'c'), secretGet('l1', 0, 'a'), secretGet('l2', 20, 'b')],
    expect: { alerts: 1, auditEventIds: [['l1', 'l2', 'l3']], windowStarts: [atSecond(0).toISOString()] },
  },
  {
    name: 'a get that arrives after its burst was raised, within the window of its last get, joins it',
    events: [...burst('p'), secretGet('p4', 200, 'z')],
    batches: [{ events: ['p1', 'p2', 'p3'] }, { events: ['p4'] }],
    expect: { alerts: 1, auditEventIds: [['p1', 'p2', 'p3', 'p4']], windowStarts: [atSecond(0).toISOString()] },
  },
  {
    // Issue 20, case 2: a late get before a raised burst opens it earlier.
    name: 'a late get just before a raised burst is linked to it, and the burst opens at it',
    events: [
      secretGet('e0', 0, 'db-password'),
      secretGet('e2', 120, 'frontend-tls'),
      secretGet('e3', 180, 'stripe-api-key'),
      secretGet('e4', 240, 'registry-credentials'),
    ],
    batches: [{ events: ['e2', 'e3', 'e4'] }, { events: ['e0'] }],
    expect: {
      alerts: 1,
      auditEventIds: [['e0', 'e2', 'e3', 'e4']],
      windowStarts: [atSecond(0).toISOString()],
      details: [{ distinctSecretCount: 4 }],
    },
  },
  {
    name: 'a late get that bridges two bursts merges them into one',
    events: [
      ...burst('m'),
      secretGet('m4', 400, 'bridge'),
      secretGet('m5', 760, 'a2'),
      secretGet('m6', 770, 'b2'),
      secretGet('m7', 780, 'c2'),
    ],
    batches: [{ events: ['m1', 'm2', 'm3', 'm5', 'm6', 'm7'] }, { events: ['m4'] }],
    expect: { alerts: 1, auditEventIds: [['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7']] },
  },
  {
    // Issue 20, case 4: upstream's fingerprint has no cluster.
    name: 'a person’s gets in two clusters are one fingerprint',
    events: [
      secretGet('x1', 0, 'a', { cluster: 'prod-eu' }),
      secretGet('x2', 20, 'b', { cluster: 'prod-us' }),
      secretGet('x3', 40, 'c', { cluster: 'prod-eu' }),
    ],
    expect: { alerts: 1, auditEventIds: [['x1', 'x2', 'x3']], details: [{ clusters: ['prod-eu', 'prod-us'] }] },
  },
  {
    name: 'per-cluster fingerprints when persons are not merged across clusters',
    params: { personsAcrossClusters: 0 },
    events: [
      secretGet('y1', 0, 'a', { cluster: 'prod-eu' }),
      secretGet('y2', 20, 'b', { cluster: 'prod-us' }),
      secretGet('y3', 40, 'c', { cluster: 'prod-eu' }),
    ],
    expect: { alerts: 0 },
  },
  {
    name: 'the same service account name in two clusters is two identities',
    events: [
      secretGet('s1', 0, 'a', { cluster: 'prod-eu', username: 'system:serviceaccount:default:default' }),
      secretGet('s2', 20, 'b', { cluster: 'prod-us', username: 'system:serviceaccount:default:default' }),
      secretGet('s3', 40, 'c', { cluster: 'prod-eu', username: 'system:serviceaccount:default:default' }),
    ],
    expect: { alerts: 0 },
  },
  {
    name: 'a different user agent is a different fingerprint',
    events: [
      secretGet('f1', 0, 'a'),
      secretGet('f2', 10, 'b', { userAgent: 'kubectl/v1.31.0' }),
      secretGet('f3', 20, 'c'),
    ],
    expect: { alerts: 0 },
  },
  {
    name: 'forged X-Forwarded-For values do not split the fingerprint: the last source IP is the key',
    events: burst('m').map((event, index) => ({ ...event, sourceIps: [`192.0.2.${index + 1}`, '203.0.113.50'] })),
    expect: { alerts: 1, matched: 3, details: [{ forwardedSourceIps: ['192.0.2.1', '192.0.2.2', '192.0.2.3'] }] },
  },
  {
    name: 'a forged 127.0.0.1 does not hide a remote client (upstream drops multi-valued events)',
    events: burst('m').map((event) => ({ ...event, sourceIps: ['127.0.0.1', '203.0.113.50'] })),
    expect: { alerts: 1, matched: 3 },
  },
  {
    name: 'loopback clients are excluded (last source IP 127.0.0.1 or ::1)',
    events: [
      ...burst('l', { sourceIps: ['127.0.0.1'], sourceIp: '127.0.0.1' }),
      ...burst('k', { sourceIps: ['::1'], sourceIp: '::1' }),
      ...burst('j', { sourceIps: ['203.0.113.50', '127.0.0.1'], sourceIp: '127.0.0.1' }),
    ],
    expect: { alerts: 0, matched: 0 },
  },
  ...EXCLUDED_USERS.map((username): Vector => ({
    name: `excluded identity ${username}`,
    events: burst('x', { username }),
    expect: { alerts: 0, matched: 0 },
  })),
  {
    name: 'Helm release secrets are excluded (prefix sh.helm.release.)',
    events: [
      secretGet('h1', 0, 'sh.helm.release.v1.web.v1'),
      secretGet('h2', 10, 'sh.helm.release.v1.web.v2'),
      secretGet('h3', 20, 'sh.helm.release.v1.web.v3'),
    ],
    expect: { alerts: 0, matched: 0 },
  },
  {
    name: 'a look-alike Helm name is counted',
    events: [secretGet('h1', 0, 'my-sh.helm.release.v1'), secretGet('h2', 10, 'b'), secretGet('h3', 20, 'c')],
    expect: { alerts: 1, matched: 3 },
  },
  {
    name: 'gets without a name, without a user or without a source IP are dropped',
    events: [
      secretGet('z1', 0, 'a', { name: null }),
      secretGet('z2', 10, 'b', { username: null }),
      secretGet('z3', 20, 'c', { sourceIps: [], sourceIp: null }),
    ],
    expect: { alerts: 0, matched: 0 },
  },
  {
    name: 'list and watch do not count, nor other resources',
    events: [
      secretGet('v1', 0, 'a', { verb: 'list' }),
      secretGet('v2', 10, 'b', { verb: 'watch' }),
      secretGet('v3', 20, 'c', { resource: 'configmaps' }),
    ],
    expect: { alerts: 0, matched: 0 },
  },
  {
    name: 'denied gets count like allowed ones',
    events: burst('d', { responseCode: 403, decision: 'forbid' }),
    expect: { alerts: 1, details: [{ outcomes: ['forbid'] }] },
  },
];
