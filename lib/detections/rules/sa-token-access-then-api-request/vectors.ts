import { atSecond, buildAuditEvent, buildFileEvent } from '../../vector-events';
import type { DetectionAuditEvent, RuleVector } from '../../types';
import type { TokenAccessThenApiParameters } from './rule';

type Vector = RuleVector<TokenAccessThenApiParameters>;

const POD = 'payments-api-7d9f8c6b5-q2w4e';
const SA = 'system:serviceaccount:payments:payments-api';
const CA_PATH = '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt';

/** The pod's identity calling the API with its bound token, `seconds` after the token read. */
function podCall(id: string, seconds: number, overrides: Partial<DetectionAuditEvent> = {}): DetectionAuditEvent {
  return buildAuditEvent(id, {
    username: SA,
    userAgent: 'curl/8.5.0',
    sourceIps: ['10.0.5.23'],
    time: atSecond(seconds),
    verb: 'list',
    resource: 'pods',
    namespace: 'kube-system',
    name: null,
    podName: POD,
    ...overrides,
  });
}

const tokenRead = buildFileEvent('f1');

export const vectors: Vector[] = [
  {
    name: 'interactive token read, then the pod lists pods 7 s later',
    events: [podCall('a1', 7)],
    fileEvents: [tokenRead],
    expect: {
      alerts: 1,
      matched: 1,
      auditEventIds: [['a1']],
      fileEventIds: [['f1']],
      windowStarts: [atSecond(0).toISOString()],
    },
  },
  {
    name: 'every audit response of the pod in the span is evidence; the alert is per file event',
    events: [podCall('a1', 4), podCall('a2', 10, { responseCode: 403, decision: 'forbid' }), podCall('a3', 19)],
    fileEvents: [tokenRead],
    expect: { alerts: 1, auditEventIds: [['a1', 'a2', 'a3']], fileEventIds: [['f1']] },
  },
  {
    name: 'ca.crt counts like the token',
    events: [podCall('a1', 5)],
    fileEvents: [buildFileEvent('f1', { path: CA_PATH })],
    expect: { alerts: 1 },
  },
  {
    name: 'two token reads give two alerts',
    events: [podCall('a1', 5)],
    fileEvents: [tokenRead, buildFileEvent('f2', { time: atSecond(2) })],
    expect: { alerts: 2, fileEventIds: [['f1'], ['f2']] },
  },
  {
    name: 'a request exactly 60 s later is inside the span',
    events: [podCall('a1', 60)],
    fileEvents: [tokenRead],
    expect: { alerts: 1 },
  },
  {
    name: 'a request 60 s and 1 ms later is outside',
    events: [podCall('a1', 0, { time: new Date(atSecond(60).getTime() + 1) })],
    fileEvents: [tokenRead],
    expect: { alerts: 0 },
  },
  {
    name: 'the span is tunable',
    params: { maxSpanSeconds: 10 },
    events: [podCall('a1', 11)],
    fileEvents: [tokenRead],
    expect: { alerts: 0 },
  },
  {
    name: 'a request before the token read does not complete the sequence',
    events: [podCall('a1', -1)],
    fileEvents: [tokenRead],
    expect: { alerts: 0 },
  },
  {
    name: 'late audit events (delivered out of order) still join',
    events: [podCall('a2', 30), podCall('a1', 3)],
    fileEvents: [tokenRead],
    expect: { alerts: 1, auditEventIds: [['a1', 'a2']] },
  },
  {
    name: 'stage RequestReceived does not complete the sequence; ResponseStarted does',
    events: [
      podCall('a1', 3, { completedAt: null, responseCode: null }),
      podCall('a2', 5, { completedAt: null, startedAt: atSecond(5) }),
    ],
    fileEvents: [tokenRead],
    expect: { alerts: 1, matched: 1, auditEventIds: [['a2']] },
  },
  {
    name: 'a same-named pod in another namespace does not complete it (upstream would)',
    events: [podCall('a1', 9, { username: 'system:serviceaccount:payments-staging:payments-api' })],
    fileEvents: [tokenRead],
    expect: { alerts: 0, matched: 1 },
  },
  {
    name: 'the namespace is the service account’s, not the request’s objectRef',
    events: [podCall('a1', 9, { namespace: 'payments-staging' })],
    fileEvents: [tokenRead],
    expect: { alerts: 1 },
  },
  {
    name: 'without a namespace on the file event, the pod name alone joins',
    events: [podCall('a1', 9, { username: 'system:serviceaccount:payments-staging:payments-api' })],
    fileEvents: [buildFileEvent('f1', { namespace: null })],
    expect: { alerts: 1 },
  },
  {
    name: 'another pod does not complete the sequence',
    events: [podCall('a1', 9, { podName: 'payments-api-7d9f8c6b5-zzzzz' })],
    fileEvents: [tokenRead],
    expect: { alerts: 0 },
  },
  {
    name: 'audit events without a bound pod name never match',
    events: [podCall('a1', 9, { podName: null })],
    fileEvents: [tokenRead],
    expect: { alerts: 0, matched: 0 },
  },
  {
    name: 'a non-interactive read (the app reloading its token) is not the first event',
    events: [podCall('a1', 9)],
    fileEvents: [buildFileEvent('f1', { interactive: false }), buildFileEvent('f2', { interactive: null })],
    expect: { alerts: 0 },
  },
  {
    name: 'other paths, actions and event types are not the first event',
    events: [podCall('a1', 9)],
    fileEvents: [
      buildFileEvent('f1', { path: '/var/run/secrets/kubernetes.io/serviceaccount/namespace' }),
      buildFileEvent('f2', { path: '/run/secrets/kubernetes.io/serviceaccount/token' }),
      buildFileEvent('f3', { action: 'modification' }),
      buildFileEvent('f4', { types: ['access'] }),
    ],
    expect: { alerts: 0 },
  },
  {
    name: 'outside a container, or on a non-linux host, it is not the first event',
    events: [podCall('a1', 9)],
    fileEvents: [buildFileEvent('f1', { containerId: null }), buildFileEvent('f2', { hostOs: 'windows' })],
    expect: { alerts: 0 },
  },
  {
    // Issue 20, case 5: upstream's `file where host.os.type == "linux"`.
    name: 'a file event without host.os.type, or not of category file, is not the first event',
    events: [podCall('a1', 9)],
    fileEvents: [
      buildFileEvent('f1', { hostOs: null }),
      buildFileEvent('f2', { categories: [] }),
      buildFileEvent('f3', { categories: ['process'] }),
    ],
    expect: { alerts: 0 },
  },
  {
    name: 'leniently (requireLinuxFileEvents 0), a file event that omits its OS or category counts; another OS does not',
    params: { requireLinuxFileEvents: 0 },
    events: [podCall('a1', 9)],
    fileEvents: [
      buildFileEvent('f1', { hostOs: null }),
      buildFileEvent('f2', { categories: [], time: atSecond(1) }),
      buildFileEvent('f3', { hostOs: 'windows' }),
    ],
    expect: { alerts: 2, fileEventIds: [['f1'], ['f2']] },
  },
  {
    name: 'the API call arriving before its token read (another batch, either order) completes the sequence',
    events: [podCall('a1', 9), podCall('a2', 30)],
    fileEvents: [tokenRead],
    batches: [{ events: ['a1'] }, { events: ['f1'] }, { events: ['a2'] }],
    expect: { alerts: 1, auditEventIds: [['a1', 'a2']], fileEventIds: [['f1']] },
  },
  {
    name: 'a token read with no API call from the pod raises nothing',
    events: [],
    fileEvents: [tokenRead],
    expect: { alerts: 0 },
  },
];
