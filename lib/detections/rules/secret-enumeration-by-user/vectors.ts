import { atSecond, buildAuditEvent } from '../../vector-events';
import type { DetectionAuditEvent, RuleVector } from '../../types';
import type { SecretEnumerationParameters } from './rule';

type Vector = RuleVector<SecretEnumerationParameters>;

/** Panther's test events: EKS, stage ResponseComplete (the vectors' default), kubectl/v1.28.0. */
function pantherEvent(id: string, overrides: Partial<DetectionAuditEvent>): DetectionAuditEvent {
  return buildAuditEvent(id, { userAgent: 'kubectl/v1.28.0', ...overrides });
}

/** The seven upstream test cases (they test rule() alone; each is one event). */
const PANTHER_CASES: { name: string; event: DetectionAuditEvent; matches: boolean }[] = [
  {
    name: 'User Gets a Secret',
    event: pantherEvent('pt1', {
      verb: 'get',
      username: 'attacker@example.com',
      namespace: 'production',
      name: 'db-credentials',
    }),
    matches: true,
  },
  {
    name: 'User Lists Secrets',
    event: pantherEvent('pt2', { verb: 'list', username: 'attacker@example.com', namespace: 'production', name: null }),
    matches: true,
  },
  {
    name: 'User Watches Secrets',
    event: pantherEvent('pt3', {
      verb: 'watch',
      username: 'attacker@example.com',
      namespace: 'production',
      name: null,
    }),
    matches: true,
  },
  {
    name: 'User Gets Secret - Access Denied',
    event: pantherEvent('pt4', {
      verb: 'get',
      username: 'attacker@example.com',
      namespace: 'production',
      name: 'api-token',
      responseCode: 403,
      decision: 'forbid',
    }),
    matches: true,
  },
  {
    name: 'System Principal Excluded',
    event: pantherEvent('pt5', {
      verb: 'list',
      username: 'system:serviceaccount:kube-system:namespace-controller',
      userAgent: 'kube-controller-manager/v1.28.0',
      namespace: null,
      name: null,
      requestUri: '/api/v1/secrets',
    }),
    matches: false,
  },
  {
    name: 'Non-Secret Resource',
    event: pantherEvent('pt6', {
      verb: 'get',
      username: 'developer@example.com',
      resource: 'configmaps',
      namespace: 'production',
      name: 'app-config',
    }),
    matches: false,
  },
  {
    name: 'Write Verb Excluded',
    event: pantherEvent('pt7', {
      verb: 'create',
      username: 'developer@example.com',
      namespace: 'production',
      name: 'new-secret',
      responseCode: 201,
    }),
    matches: false,
  },
];

/** `count` gets of distinct secrets by one user, `step` seconds apart. */
function enumeration(prefix: string, count: number, step: number, overrides: Partial<DetectionAuditEvent> = {}) {
  return Array.from({ length: count }, (_, index) =>
    buildAuditEvent(`${prefix}${index + 1}`, {
      username: 'contractor@example.com',
      time: atSecond(index * step),
      name: `secret-${index + 1}`,
      ...overrides,
    }),
  );
}

const SYSTEM_PRINCIPALS = [
  'system:serviceaccount:kube-system:generic-garbage-collector',
  'eks:certificate-controller',
  'masterclient',
  'gke-1a2b3c',
  'azure-policy',
  'aksService',
  'system:node:ip-10-0-3-17.ec2.internal',
  'system:kube-controller-manager',
  'system:anonymous',
  'system:apiserver',
  '.iam.gserviceaccount.com-looking-prefix',
];

export const vectors: Vector[] = [
  ...PANTHER_CASES.map(({ name, event, matches }): Vector => ({
    name: `Panther test: ${name}`,
    events: [event],
    // One event is below any threshold; with a threshold of 1 a matching event alone alerts.
    params: { minDistinctValues: 2 },
    expect: { alerts: 0, matched: matches ? 1 : 0 },
  })),
  {
    name: 'Panther tests 1-4 together: their unique() values and severity',
    events: PANTHER_CASES.filter((entry) => entry.matches).map((entry) => entry.event),
    params: { minDistinctValues: 4 },
    expect: {
      alerts: 1,
      matched: 4,
      severities: ['high'],
      details: [{ distinctValues: ['db-credentials', 'list:production', 'watch:production', 'api-token'] }],
    },
  },
  {
    name: 'Panther test 4 alone is denied: medium severity',
    events: [PANTHER_CASES[3]!.event, { ...PANTHER_CASES[3]!.event, id: 'pt4b', name: 'other-token' }],
    params: { minDistinctValues: 2 },
    expect: { alerts: 1, severities: ['medium'] },
  },
  {
    name: '15 distinct secrets within 30 minutes alert',
    events: enumeration('e', 15, 60),
    expect: { alerts: 1, matched: 15, severities: ['high'], details: [{ distinctValueCount: 15 }] },
  },
  {
    name: '14 distinct secrets do not',
    events: enumeration('e', 14, 60),
    expect: { alerts: 0, matched: 14 },
  },
  {
    name: 'the 15th value just inside the 30-minute window anchored at the first match',
    events: [
      ...enumeration('e', 14, 60),
      buildAuditEvent('e15', {
        username: 'contractor@example.com',
        name: 'secret-15',
        time: new Date(atSecond(1800).getTime() - 1),
      }),
    ],
    expect: { alerts: 1, windowStarts: [atSecond(0).toISOString()] },
  },
  {
    name: 'the 15th value just outside it opens a new window instead (tumbling, not sliding)',
    events: [
      ...enumeration('e', 14, 60),
      buildAuditEvent('e15', { username: 'contractor@example.com', name: 'secret-15', time: atSecond(1800) }),
    ],
    expect: { alerts: 0 },
  },
  {
    name: 'every read denied: medium',
    events: enumeration('d', 15, 10, { responseCode: 403, decision: 'forbid' }),
    expect: { alerts: 1, severities: ['medium'] },
  },
  {
    name: 'one read allowed among denials: high',
    events: [
      ...enumeration('d', 14, 10, { responseCode: 403, decision: 'forbid' }),
      buildAuditEvent('ok', { username: 'contractor@example.com', name: 'secret-ok', time: atSecond(200) }),
    ],
    expect: { alerts: 1, severities: ['high'] },
  },
  {
    name: 'AKS 401 (unauthenticated) counts as failed',
    events: enumeration('a', 15, 10, { responseCode: 401, decision: null }),
    expect: { alerts: 1, severities: ['medium'] },
  },
  {
    name: 'a request seen only at RequestReceived carries no code and does not make a denied enumeration high',
    events: [
      ...enumeration('d', 15, 10, { responseCode: 403, decision: 'forbid' }),
      buildAuditEvent('rr', {
        username: 'contractor@example.com',
        completedAt: null,
        responseCode: null,
        decision: null,
        name: 'secret-1',
        time: atSecond(5),
      }),
    ],
    expect: { alerts: 1, severities: ['medium'] },
  },
  {
    name: 'list and watch count per namespace, cluster-wide per request URI; get without a name adds nothing',
    events: [
      ...enumeration('e', 11, 30),
      buildAuditEvent('l1', { username: 'contractor@example.com', verb: 'list', name: null, namespace: 'shop' }),
      buildAuditEvent('l2', { username: 'contractor@example.com', verb: 'list', name: null, namespace: 'shop' }),
      buildAuditEvent('w1', { username: 'contractor@example.com', verb: 'watch', name: null, namespace: 'shop' }),
      buildAuditEvent('c1', {
        username: 'contractor@example.com',
        verb: 'list',
        name: null,
        namespace: null,
        requestUri: '/api/v1/secrets?limit=500',
      }),
      buildAuditEvent('g1', { username: 'contractor@example.com', verb: 'get', name: null }),
    ],
    expect: {
      alerts: 0,
      matched: 16,
    },
  },
  {
    name: 'the same plus one more list reaches 15',
    events: [
      ...enumeration('e', 11, 30),
      buildAuditEvent('l1', { username: 'contractor@example.com', verb: 'list', name: null, namespace: 'shop' }),
      buildAuditEvent('w1', { username: 'contractor@example.com', verb: 'watch', name: null, namespace: 'shop' }),
      buildAuditEvent('c1', {
        username: 'contractor@example.com',
        verb: 'list',
        name: null,
        namespace: null,
        requestUri: '/api/v1/secrets?limit=500',
      }),
      buildAuditEvent('l2', { username: 'contractor@example.com', verb: 'list', name: null, namespace: 'web' }),
    ],
    expect: {
      alerts: 1,
      details: [
        {
          distinctValueCount: 15,
          verbs: ['get', 'list', 'watch'],
        },
      ],
    },
  },
  {
    name: 'a list without namespace nor request URI counts as its verb',
    events: [
      ...enumeration('e', 14, 30),
      buildAuditEvent('v1', {
        username: 'contractor@example.com',
        verb: 'list',
        name: null,
        namespace: null,
        requestUri: null,
      }),
    ],
    expect: { alerts: 1 },
  },
  {
    name: 'per user only: two users each below the threshold do not add up, whatever their IPs and agents',
    events: [
      ...enumeration('a', 10, 30, { username: 'alice@example.com' }),
      ...enumeration('b', 10, 30, { username: 'bob@example.com' }),
    ],
    expect: { alerts: 0 },
  },
  {
    name: 'one user from several IPs and user agents is one alert',
    events: enumeration('e', 15, 30).map((event, index) => ({
      ...event,
      sourceIps: [`10.0.0.${index}`],
      sourceIp: `10.0.0.${index}`,
      userAgent: index % 2 ? 'kubectl/v1.31.0' : 'curl/8.5.0',
    })),
    expect: { alerts: 1 },
  },
  {
    name: 'the threshold and the window are tunable',
    params: { minDistinctValues: 5, windowMinutes: 5 },
    events: enumeration('e', 5, 60),
    expect: { alerts: 1 },
  },
  {
    name: 'late events are placed by event time',
    events: enumeration('e', 15, 60).reverse(),
    expect: { alerts: 1, windowStarts: [atSecond(0).toISOString()] },
  },
  {
    name: 'an event late into an already-raised window joins it',
    events: [
      ...enumeration('r', 15, 60),
      buildAuditEvent('late', { username: 'contractor@example.com', time: atSecond(10) }),
    ],
    batches: [{ events: enumeration('r', 15, 60).map((event) => event.id) }, { events: ['late'] }],
    expect: { alerts: 1, windowStarts: [atSecond(0).toISOString()], details: [{ distinctValueCount: 16 }] },
  },
  {
    // Issue 20, case 1: the window is anchored at the user's first match whatever range is detected.
    name: 'detecting part of the history still anchors the window at the first match (15 names in 10:31–11:01)',
    events: [
      ...enumeration('h', 15, 100),
      ...enumeration('k', 2, 100, { time: undefined }).map((event, index) => ({
        ...event,
        name: `later-${index}`,
        time: atSecond(1900 + index * 100),
      })),
    ],
    batches: [
      {
        events: [...enumeration('h', 15, 100), ...enumeration('k', 2, 100)].map((event) => event.id),
        detect: { from: atSecond(840), to: atSecond(2040) },
      },
    ],
    expect: { alerts: 1, windowStarts: [atSecond(0).toISOString()], details: [{ distinctValueCount: 15 }] },
  },
  {
    name: 'detecting part of the history raises no window the whole history does not (16 gets, no window of 15)',
    events: [
      buildAuditEvent('w0', { username: 'contractor@example.com', time: atSecond(-600), name: 'first' }),
      ...enumeration('w', 10, 100),
      ...enumeration('v', 5, 100).map((event) => ({
        ...event,
        name: `v-${event.id}`,
        time: atSecond(1300 + Number(event.id.slice(1)) * 100 - 100),
      })),
    ],
    batches: [
      {
        events: [
          'w0',
          ...enumeration('w', 10, 100).map((event) => event.id),
          ...enumeration('v', 5, 100).map((event) => event.id),
        ],
        detect: { from: atSecond(0), to: atSecond(540) },
      },
    ],
    expect: { alerts: 0 },
  },
  {
    // Issue 20, case 4: Panther's dedup() is the user alone.
    name: 'a person reading 8 + 8 secrets in two clusters within 16 minutes is one alert',
    events: [
      ...enumeration('c', 8, 60, { cluster: 'prod-eu' }),
      ...enumeration('d', 8, 60, { cluster: 'prod-us' }).map((event) => ({
        ...event,
        name: `us-${event.name}`,
        time: new Date(event.time.getTime() + 30_000),
      })),
    ],
    expect: { alerts: 1, details: [{ distinctValueCount: 16, clusters: ['prod-eu', 'prod-us'] }] },
  },
  {
    name: 'per-cluster users when persons are not merged across clusters',
    params: { personsAcrossClusters: 0 },
    events: [
      ...enumeration('c', 8, 60, { cluster: 'prod-eu' }),
      ...enumeration('d', 8, 60, { cluster: 'prod-us' }).map((event) => ({ ...event, name: `us-${event.name}` })),
    ],
    expect: { alerts: 0 },
  },
  {
    name: 'a service account of the same name in two clusters is two users',
    events: [
      ...enumeration('c', 8, 60, { cluster: 'prod-eu', username: 'system:serviceaccount:ci:deployer' }),
      ...enumeration('d', 8, 60, { cluster: 'prod-us', username: 'system:serviceaccount:ci:deployer' }).map(
        (event) => ({ ...event, name: `us-${event.name}` }),
      ),
    ],
    expect: { alerts: 0 },
  },
  ...SYSTEM_PRINCIPALS.map((username): Vector => ({
    name: `system principal ${username} is excluded`,
    events: enumeration('s', 15, 10, { username }),
    expect: { alerts: 0, matched: 0 },
  })),
  {
    name: 'non-kube-system service accounts and GCP service-account emails are not system principals (upstream quirk)',
    events: [
      ...enumeration('s', 15, 10, { username: 'system:serviceaccount:ci:deployer' }),
      ...enumeration('g', 15, 10, { username: 'deployer@my-project.iam.gserviceaccount.com' }),
    ],
    expect: { alerts: 2, matched: 30 },
  },
  {
    name: 'events without a user group under <UNKNOWN_USER>',
    events: enumeration('u', 15, 10, { username: null }),
    expect: { alerts: 1 },
  },
  {
    name: 'create, update and delete on secrets do not count',
    events: enumeration('w', 15, 10, { verb: 'create', responseCode: 201 }),
    expect: { alerts: 0, matched: 0 },
  },
];
