// Entity profiles against a real database: a user, a source IP and a pod, seeded through the real
// ingest (audit and file events) plus stored alerts, every panel checked against what was seeded;
// then the three REST routes. Event times are in 2045 only (no other file uses that year) and every
// name is unique to this run, so the shared database's other rows cannot show up.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as getIp } from '../../app/api/v1/entities/ips/[ip]/route';
import { GET as getPod } from '../../app/api/v1/entities/pods/[namespace]/[name]/route';
import { GET as getUser } from '../../app/api/v1/entities/users/[name]/route';
import { getPool } from '../../lib/db/pool';
import { readEntityProfile, type EntityProfile } from '../../lib/entities/read-entity';
import type { Entity } from '../../lib/entities/schemas';
import { ingestEvents, insertAlert, seedRules } from '../support/alert-factory';
import { bearer, createTestSession, createTestToken } from '../support/credentials';
import { auditRequest, defendFileEvent, ingestFileEvents } from '../support/investigation-events';

await seedRules();
const pool = getPool();
afterAll(async () => {
  await pool.end();
});

const run = randomUUID();
const short = run.slice(0, 8);
const CLUSTER = `entities-${short}`;
// A user name with the characters an OIDC or cloud identity brings: `:`, `@`, `'`, `+`.
const USER = `oidc:alice.o'neil+${run}@corp.example`;
const OTHER_USER = `bob-${run}@corp.example`;
const IP = `2001:db8:${run.slice(0, 4)}:${run.slice(4, 8)}:${run.slice(9, 13)}::7`;
const OTHER_IP = `2001:db8:${run.slice(0, 4)}:${run.slice(4, 8)}:${run.slice(9, 13)}::8`;
const SECRET_NS = `team-${short}`;
const NS = `shop-${short}`;
const NS_Q = `lab-${short}`;
const POD = `web-${run}`;
const SA = `system:serviceaccount:${NS}:web`;
const SA_Q = `system:serviceaccount:${NS_Q}:web`;
const KUBECTL = `kubectl/v1.30.2 (${short})`;
const CURL = `curl/8.5.0 (${short})`;
const WEB = `web-client/1.0 (${short})`;

// The user: five requests in the week before its latest, one a month earlier.
const U1 = '2045-03-10T09:00:00.250Z';
const U2 = '2045-03-10T09:00:10.000Z';
const U3 = '2045-03-10T09:05:00.000Z';
const U4 = '2045-03-08T14:00:00.000Z';
const U5 = '2045-03-08T14:01:00.000Z';
const U6 = '2045-02-01T00:00:00.000Z';
// The panels below are read over a week: the page's own default is a day (see its test).
const WEEK = 7;
// Another user, whose request names IP only as a client-supplied (forgeable) hop.
const V1 = '2045-03-10T09:02:00.000Z';
// The pod's service account, and a pod of the same name in another namespace.
const P1 = '2045-03-10T08:00:00.000Z';
const P2 = '2045-03-10T08:00:30.000Z';
const P3 = '2045-03-10T08:02:00.000Z';
const Q1 = '2045-03-10T08:01:00.000Z';
// File activity: F1, F2 the pod's; F3 the same-named pod's in NS_Q; F4 the pod's, long before.
const F1 = '2045-03-10T07:59:50.000Z';
const F2 = '2045-03-10T08:03:00.000Z';
const F3 = '2045-03-10T08:01:30.000Z';
const F4 = '2045-01-05T00:00:00.000Z';

const alertIds: Record<string, string> = {};

beforeAll(async () => {
  await ingestEvents(
    pool,
    [
      auditRequest({
        time: U1,
        user: USER,
        namespace: SECRET_NS,
        name: 'db-creds',
        sourceIPs: ['198.51.100.1', IP],
        userAgent: KUBECTL,
      }),
      auditRequest({
        time: U2,
        user: USER,
        namespace: SECRET_NS,
        name: 'db-creds',
        code: 403,
        decision: 'forbid',
        sourceIPs: [IP],
        userAgent: KUBECTL,
      }),
      auditRequest({
        time: U3,
        user: USER,
        verb: 'list',
        namespace: SECRET_NS,
        name: null,
        sourceIPs: [OTHER_IP],
        userAgent: CURL,
      }),
      auditRequest({
        time: U4,
        user: USER,
        resource: 'pods',
        namespace: SECRET_NS,
        name: 'web-1',
        sourceIPs: [IP],
        userAgent: KUBECTL,
      }),
      // No authorization annotation and a 500: neither allowed nor forbidden.
      auditRequest({
        time: U5,
        user: USER,
        verb: 'delete',
        resource: 'pods',
        namespace: SECRET_NS,
        name: 'web-1',
        code: 500,
        decision: null,
        sourceIPs: [IP],
        userAgent: KUBECTL,
      }),
      auditRequest({
        time: U6,
        user: USER,
        namespace: SECRET_NS,
        name: 'old-token',
        sourceIPs: [OTHER_IP],
        userAgent: KUBECTL,
      }),
      auditRequest({
        time: V1,
        user: OTHER_USER,
        namespace: SECRET_NS,
        name: 'db-creds',
        sourceIPs: [IP, '10.9.9.9'],
        userAgent: KUBECTL,
      }),
      auditRequest({
        time: P1,
        user: SA,
        namespace: NS,
        name: 'tls-cert',
        podName: POD,
        nodeName: `node-a-${short}`,
        sourceIPs: [IP],
        userAgent: WEB,
      }),
      auditRequest({
        time: P2,
        user: SA,
        verb: 'list',
        namespace: 'kube-system',
        name: null,
        code: 403,
        decision: 'forbid',
        podName: POD,
        nodeName: `node-a-${short}`,
        sourceIPs: [IP],
        userAgent: WEB,
      }),
      auditRequest({
        time: P3,
        user: SA,
        resource: 'configmaps',
        namespace: NS,
        name: 'app-config',
        podName: POD,
        nodeName: `node-b-${short}`,
        sourceIPs: [OTHER_IP],
        userAgent: WEB,
      }),
      // The same pod name in NS_Q reading NS's secret: the object is in NS, the pod is not.
      auditRequest({
        time: Q1,
        user: SA_Q,
        namespace: NS,
        name: 'tls-cert',
        podName: POD,
        nodeName: `node-c-${short}`,
        sourceIPs: [OTHER_IP],
        userAgent: WEB,
      }),
    ],
    CLUSTER,
  );
  await ingestFileEvents(
    pool,
    [
      defendFileEvent({ time: F1, podName: POD, namespace: NS }),
      defendFileEvent({ time: F2, podName: POD, namespace: NS, path: '/etc/passwd', processName: 'sh' }),
      defendFileEvent({ time: F3, podName: POD, namespace: NS_Q, path: '/etc/shadow' }),
      defendFileEvent({ time: F4, podName: POD, namespace: NS, path: '/tmp/old' }),
    ],
    CLUSTER,
  );

  const alert = (key: string, input: Parameters<typeof insertAlert>[1]) =>
    insertAlert(pool, { cluster: CLUSTER, ...input }).then((id) => (alertIds[key] = id));
  const at = (time: string) => new Date(time);
  await Promise.all([
    // The user's: two overlap the default range, one ended just before it, one is a month
    // earlier (in the explicit range), one starts exactly at the range's exclusive end.
    alert('UA1', { username: USER, firstEventAt: at('2045-03-09T10:00:00Z'), lastEventAt: at('2045-03-09T10:05:00Z') }),
    alert('UA2', { username: USER, firstEventAt: at('2045-03-03T08:00:00Z'), lastEventAt: at('2045-03-03T09:30:00Z') }),
    alert('UA3', { username: USER, firstEventAt: at('2045-03-03T08:00:00Z'), lastEventAt: at('2045-03-03T09:00:00Z') }),
    alert('UA4', { username: USER, firstEventAt: at('2045-01-31T12:00:00Z'), lastEventAt: at('2045-01-31T12:10:00Z') }),
    alert('UA5', { username: USER, firstEventAt: at('2045-03-10T09:06:00Z'), lastEventAt: at('2045-03-10T09:07:00Z') }),
    // The IP's: as the last hop, as a client-supplied hop only, and neither.
    alert('IA1', {
      username: OTHER_USER,
      sourceIp: IP,
      firstEventAt: at('2045-03-09T01:00:00Z'),
      lastEventAt: at('2045-03-09T01:00:00Z'),
    }),
    alert('IA2', {
      username: OTHER_USER,
      sourceIp: '10.1.1.1',
      sourceIps: [IP, '10.1.1.1'],
      firstEventAt: at('2045-03-09T02:00:00Z'),
      lastEventAt: at('2045-03-09T02:00:00Z'),
    }),
    alert('IA3', {
      username: OTHER_USER,
      sourceIp: OTHER_IP,
      firstEventAt: at('2045-03-09T03:00:00Z'),
      lastEventAt: at('2045-03-09T03:00:00Z'),
    }),
    // The pod's: by its token; raised from its file events alone (no user); and two of the
    // same-named pod in NS_Q, one of them reading NS's secrets.
    alert('PA1', {
      username: SA,
      podName: POD,
      namespaces: [NS],
      firstEventAt: at(P1),
      lastEventAt: at('2045-03-10T08:01:00Z'),
    }),
    alert('PA2', {
      username: SA_Q,
      podName: POD,
      namespaces: [NS],
      firstEventAt: at(Q1),
      lastEventAt: at(Q1),
    }),
    alert('PA3', {
      username: null,
      sourceIp: null,
      podName: POD,
      namespaces: [NS],
      firstEventAt: at(F1),
      lastEventAt: at('2045-03-10T07:59:59Z'),
    }),
    alert('PA4', {
      username: SA_Q,
      podName: POD,
      namespaces: [NS_Q],
      firstEventAt: at(Q1),
      lastEventAt: at('2045-03-10T08:01:10Z'),
    }),
  ]);
});

const user: Entity = { kind: 'user', name: USER };
const ip: Entity = { kind: 'ip', ip: IP };
const pod: Entity = { kind: 'pod', namespace: NS, name: POD };
const podQ: Entity = { kind: 'pod', namespace: NS_Q, name: POD };

const zero = { allowed: 0, forbidden: 0, other: 0 };
/** The buckets holding anything, by start. */
const nonEmpty = (profile: EntityProfile) =>
  Object.fromEntries(
    profile.activity.buckets
      .filter((bucket) => bucket.allowed + bucket.forbidden + bucket.other > 0)
      .map(({ start, ...counts }) => [start, counts]),
  );
const alertKeys = (profile: EntityProfile) =>
  profile.alerts.rows.map((row) => Object.entries(alertIds).find(([, id]) => id === row.id)?.[0] ?? row.id);

describe('a user profile', () => {
  it('over the 7 days ending just after the latest event, counts every panel', async () => {
    const profile = await readEntityProfile(pool, user, {}, WEEK);
    expect(profile.entity).toEqual(user);
    // Latest U3 at 09:05:00.000: the range ends at the next whole minute after it.
    expect(profile.range).toEqual({
      from: '2045-03-03T09:06:00.000Z',
      to: '2045-03-10T09:06:00.000Z',
      explicit: false,
    });
    expect(profile.firstSeen).toBe(U6);
    expect(profile.lastSeen).toBe(U3);
    // U6 is a month earlier; V1 is another user's.
    expect(profile.totals).toEqual({ events: 5, allowed: 3, forbidden: 1, other: 1 });

    // Six-hour buckets start on the UTC hour (whole hours for the rollups): the first holds the range's start.
    expect(profile.activity.bucketMinutes).toBe(360);
    expect(profile.activity.buckets).toHaveLength(29);
    expect(profile.activity.buckets[0]!.start).toBe('2045-03-03T09:00:00.000Z');
    expect(profile.activity.buckets.at(-1)!.start).toBe('2045-03-10T09:00:00.000Z');
    expect(profile.activity.buckets[1]).toEqual({ start: '2045-03-03T15:00:00.000Z', ...zero });
    expect(nonEmpty(profile)).toEqual({
      '2045-03-08T09:00:00.000Z': { allowed: 1, forbidden: 0, other: 1 },
      '2045-03-10T09:00:00.000Z': { allowed: 2, forbidden: 1, other: 0 },
    });

    expect(profile.verbsByResource).toEqual([
      { resource: 'secrets', verb: 'get', total: 2, allowed: 1, forbidden: 1, other: 0 },
      { resource: 'pods', verb: 'delete', total: 1, allowed: 0, forbidden: 0, other: 1 },
      { resource: 'pods', verb: 'get', total: 1, allowed: 1, forbidden: 0, other: 0 },
      { resource: 'secrets', verb: 'list', total: 1, allowed: 1, forbidden: 0, other: 0 },
    ]);
    // Newest first; the list over the namespace has no name.
    expect(profile.secrets).toEqual([
      {
        namespace: SECRET_NS,
        name: null,
        verbs: ['list'],
        firstSeen: U3,
        lastSeen: U3,
        allowed: 1,
        forbidden: 0,
        other: 0,
      },
      {
        namespace: SECRET_NS,
        name: 'db-creds',
        verbs: ['get'],
        firstSeen: U1,
        lastSeen: U2,
        allowed: 1,
        forbidden: 1,
        other: 0,
      },
    ]);
    expect(profile.userAgents).toEqual([
      { value: KUBECTL, count: 4, lastSeen: U2 },
      { value: CURL, count: 1, lastSeen: U3 },
    ]);
    // The last hop of sourceIPs, never the client-supplied 198.51.100.1.
    expect(profile.sourceIps).toEqual([
      { value: IP, count: 4, lastSeen: U2 },
      { value: OTHER_IP, count: 1, lastSeen: U3 },
    ]);
    expect(profile.users).toEqual([]);
    expect(profile.pods).toEqual([]);
    expect(profile.nodes).toEqual([]);
    // In range only: UA3 ended before it, UA4 is a month earlier, UA5 starts at its exclusive end.
    expect(alertKeys(profile)).toEqual(['UA1', 'UA2']);
    expect(profile.alerts.total).toBe(2);
    expect(profile.alerts.rows[0]).toMatchObject({
      username: USER,
      firstEventAt: '2045-03-09T10:00:00.000Z',
      lastEventAt: '2045-03-09T10:05:00.000Z',
      ruleName: expect.any(String),
    });
    expect(profile.fileEvents).toBeNull();
  });

  it('keeps an explicit range, with buckets sized to it, and still reports first and last seen over all time', async () => {
    const profile = await readEntityProfile(pool, user, {
      from: '2045-01-31T00:00:00Z',
      to: '2045-02-02T00:00:00Z',
    });
    expect(profile.range).toEqual({
      from: '2045-01-31T00:00:00.000Z',
      to: '2045-02-02T00:00:00.000Z',
      explicit: true,
    });
    expect(profile.firstSeen).toBe(U6);
    expect(profile.lastSeen).toBe(U3);
    expect(profile.totals).toEqual({ events: 1, allowed: 1, forbidden: 0, other: 0 });
    expect(profile.activity.bucketMinutes).toBe(60);
    expect(profile.activity.buckets).toHaveLength(48);
    expect(nonEmpty(profile)).toEqual({ '2045-02-01T00:00:00.000Z': { allowed: 1, forbidden: 0, other: 0 } });
    expect(profile.verbsByResource).toEqual([
      { resource: 'secrets', verb: 'get', total: 1, allowed: 1, forbidden: 0, other: 0 },
    ]);
    expect(profile.secrets).toEqual([
      {
        namespace: SECRET_NS,
        name: 'old-token',
        verbs: ['get'],
        firstSeen: U6,
        lastSeen: U6,
        allowed: 1,
        forbidden: 0,
        other: 0,
      },
    ]);
    expect(profile.sourceIps).toEqual([{ value: OTHER_IP, count: 1, lastSeen: U6 }]);
    expect(alertKeys(profile)).toEqual(['UA4']);
    expect(profile.alerts.total).toBe(1);
  });

  it('an open-ended range: `from` alone ends just after the latest event, `to` alone spans 7 days back', async () => {
    const fromOnly = await readEntityProfile(pool, user, { from: '2045-03-08T00:00:00Z' }, WEEK);
    expect(fromOnly.range).toEqual({
      from: '2045-03-08T00:00:00.000Z',
      to: '2045-03-10T09:06:00.000Z',
      explicit: true,
    });
    expect(fromOnly.totals.events).toBe(5);
    const toOnly = await readEntityProfile(pool, user, { to: '2045-03-09T00:00:00Z' }, WEEK);
    expect(toOnly.range).toEqual({ from: '2045-03-02T00:00:00.000Z', to: '2045-03-09T00:00:00.000Z', explicit: true });
    expect(toOnly.totals).toEqual({ events: 2, allowed: 1, forbidden: 0, other: 1 });
  });

  it('a service account lists the pods its token was used from, with the namespace from its name', async () => {
    const profile = await readEntityProfile(pool, { kind: 'user', name: SA }, {});
    expect(profile.range.to).toBe('2045-03-10T08:03:00.000Z');
    expect(profile.totals).toEqual({ events: 3, allowed: 2, forbidden: 1, other: 0 });
    expect(profile.pods).toEqual([{ namespace: NS, name: POD, count: 3, lastSeen: P3 }]);
    expect(profile.nodes).toEqual([
      { value: `node-a-${short}`, count: 2, lastSeen: P2 },
      { value: `node-b-${short}`, count: 1, lastSeen: P3 },
    ]);
    expect(profile.users).toEqual([]);
    expect(alertKeys(profile)).toEqual(['PA1']);
    expect(profile.fileEvents).toBeNull();
  });

  it('is empty, with every bucket present, for a user never seen', async () => {
    const profile = await readEntityProfile(
      pool,
      { kind: 'user', name: `nobody-${run}` },
      { from: '2045-03-01T00:00:00Z', to: '2045-03-01T06:00:00Z' },
    );
    expect(profile.firstSeen).toBeNull();
    expect(profile.lastSeen).toBeNull();
    expect(profile.totals).toEqual({ events: 0, ...zero });
    expect(profile.activity.bucketMinutes).toBe(5);
    expect(profile.activity.buckets).toHaveLength(72);
    expect(profile.activity.buckets.every((bucket) => bucket.allowed + bucket.forbidden + bucket.other === 0)).toBe(
      true,
    );
    expect(profile.verbsByResource).toEqual([]);
    expect(profile.secrets).toEqual([]);
    expect(profile.alerts).toEqual({ rows: [], total: 0 });
  });
});

describe('a source IP profile', () => {
  it('counts the requests whose last hop it was, and the users and pods behind them', async () => {
    const profile = await readEntityProfile(pool, ip, {}, WEEK);
    // Latest: U2 at 09:00:10 (V1 only names IP as a client-supplied hop); the first, U4, is
    // less than 7 days earlier, so the default range starts there.
    expect(profile.range).toEqual({
      from: U4,
      to: '2045-03-10T09:01:00.000Z',
      explicit: false,
    });
    expect(profile.firstSeen).toBe(U4);
    expect(profile.lastSeen).toBe(U2);
    expect(profile.totals).toEqual({ events: 6, allowed: 3, forbidden: 2, other: 1 });
    expect(profile.activity.bucketMinutes).toBe(60);
    expect(profile.activity.buckets).toHaveLength(44);
    expect(nonEmpty(profile)).toEqual({
      '2045-03-08T14:00:00.000Z': { allowed: 1, forbidden: 0, other: 1 },
      '2045-03-10T08:00:00.000Z': { allowed: 1, forbidden: 1, other: 0 },
      '2045-03-10T09:00:00.000Z': { allowed: 1, forbidden: 1, other: 0 },
    });
    expect(profile.verbsByResource).toEqual([
      { resource: 'secrets', verb: 'get', total: 3, allowed: 2, forbidden: 1, other: 0 },
      { resource: 'pods', verb: 'delete', total: 1, allowed: 0, forbidden: 0, other: 1 },
      { resource: 'pods', verb: 'get', total: 1, allowed: 1, forbidden: 0, other: 0 },
      { resource: 'secrets', verb: 'list', total: 1, allowed: 0, forbidden: 1, other: 0 },
    ]);
    expect(profile.secrets).toEqual([
      {
        namespace: SECRET_NS,
        name: 'db-creds',
        verbs: ['get'],
        firstSeen: U1,
        lastSeen: U2,
        allowed: 1,
        forbidden: 1,
        other: 0,
      },
      {
        namespace: 'kube-system',
        name: null,
        verbs: ['list'],
        firstSeen: P2,
        lastSeen: P2,
        allowed: 0,
        forbidden: 1,
        other: 0,
      },
      {
        namespace: NS,
        name: 'tls-cert',
        verbs: ['get'],
        firstSeen: P1,
        lastSeen: P1,
        allowed: 1,
        forbidden: 0,
        other: 0,
      },
    ]);
    expect(profile.users).toEqual([
      { value: USER, count: 4, lastSeen: U2 },
      { value: SA, count: 2, lastSeen: P2 },
    ]);
    expect(profile.pods).toEqual([{ namespace: NS, name: POD, count: 2, lastSeen: P2 }]);
    expect(profile.userAgents).toEqual([
      { value: KUBECTL, count: 4, lastSeen: U2 },
      { value: WEB, count: 2, lastSeen: P2 },
    ]);
    expect(profile.sourceIps).toEqual([]);
    expect(profile.nodes).toEqual([{ value: `node-a-${short}`, count: 2, lastSeen: P2 }]);
    expect(profile.fileEvents).toBeNull();
  });

  it('relates the alerts naming it as the last hop or as a client-supplied source IP', async () => {
    const profile = await readEntityProfile(pool, ip, {}, WEEK);
    expect(alertKeys(profile)).toEqual(['IA2', 'IA1']);
    expect(profile.alerts.total).toBe(2);
  });
});

describe('a pod profile', () => {
  it("holds its token's requests and its file events, not those of a same-named pod in another namespace", async () => {
    const profile = await readEntityProfile(pool, pod, {}, WEEK);
    // Latest: F2 at 08:03:00 (a file event; the last request was at 08:02).
    expect(profile.range).toEqual({
      from: '2045-03-03T08:04:00.000Z',
      to: '2045-03-10T08:04:00.000Z',
      explicit: false,
    });
    // F4, a file event, is the oldest.
    expect(profile.firstSeen).toBe(F4);
    expect(profile.lastSeen).toBe(F2);
    // Q1 (NS_Q's pod, reading a secret of NS) is not this pod's.
    expect(profile.totals).toEqual({ events: 3, allowed: 2, forbidden: 1, other: 0 });
    expect(nonEmpty(profile)).toEqual({ '2045-03-10T08:00:00.000Z': { allowed: 2, forbidden: 1, other: 0 } });
    expect(profile.verbsByResource).toEqual([
      { resource: 'configmaps', verb: 'get', total: 1, allowed: 1, forbidden: 0, other: 0 },
      { resource: 'secrets', verb: 'get', total: 1, allowed: 1, forbidden: 0, other: 0 },
      { resource: 'secrets', verb: 'list', total: 1, allowed: 0, forbidden: 1, other: 0 },
    ]);
    expect(profile.secrets).toEqual([
      {
        namespace: 'kube-system',
        name: null,
        verbs: ['list'],
        firstSeen: P2,
        lastSeen: P2,
        allowed: 0,
        forbidden: 1,
        other: 0,
      },
      {
        namespace: NS,
        name: 'tls-cert',
        verbs: ['get'],
        firstSeen: P1,
        lastSeen: P1,
        allowed: 1,
        forbidden: 0,
        other: 0,
      },
    ]);
    expect(profile.users).toEqual([{ value: SA, count: 3, lastSeen: P3 }]);
    expect(profile.sourceIps).toEqual([
      { value: IP, count: 2, lastSeen: P2 },
      { value: OTHER_IP, count: 1, lastSeen: P3 },
    ]);
    expect(profile.userAgents).toEqual([{ value: WEB, count: 3, lastSeen: P3 }]);
    expect(profile.nodes).toEqual([
      { value: `node-a-${short}`, count: 2, lastSeen: P2 },
      { value: `node-b-${short}`, count: 1, lastSeen: P3 },
    ]);
    expect(profile.pods).toEqual([]);

    // Newest first; F3 is NS_Q's pod's, F4 is before the range.
    expect(profile.fileEvents!.total).toBe(2);
    expect(profile.fileEvents!.rows).toEqual([
      expect.objectContaining({
        kind: 'file',
        time: F2,
        path: '/etc/passwd',
        action: 'open',
        types: ['change'],
        processName: 'sh',
        processUser: 'root',
        podName: POD,
        namespace: NS,
        cluster: CLUSTER,
        interactive: true,
      }),
      expect.objectContaining({
        time: F1,
        path: '/var/run/secrets/kubernetes.io/serviceaccount/token',
        processName: 'cat',
        podName: POD,
        namespace: NS,
      }),
    ]);
  });

  it('relates the alerts of its token or its file events, not those of the same-named pod in another namespace', async () => {
    const profile = await readEntityProfile(pool, pod, {});
    // PA2 is NS_Q's pod reading NS's secrets: it names NS among its namespaces but is not this pod's.
    expect(alertKeys(profile)).toEqual(['PA1', 'PA3']);
    expect(profile.alerts.total).toBe(2);
  });

  it('the same-named pod in the other namespace has only its own requests, file events and alerts', async () => {
    const profile = await readEntityProfile(pool, podQ, {});
    expect(profile.firstSeen).toBe(Q1);
    expect(profile.lastSeen).toBe(F3);
    expect(profile.totals).toEqual({ events: 1, allowed: 1, forbidden: 0, other: 0 });
    expect(profile.users).toEqual([{ value: SA_Q, count: 1, lastSeen: Q1 }]);
    expect(profile.secrets).toEqual([
      {
        namespace: NS,
        name: 'tls-cert',
        verbs: ['get'],
        firstSeen: Q1,
        lastSeen: Q1,
        allowed: 1,
        forbidden: 0,
        other: 0,
      },
    ]);
    expect(profile.nodes).toEqual([{ value: `node-c-${short}`, count: 1, lastSeen: Q1 }]);
    expect(profile.fileEvents!.rows.map((row) => [row.time, row.path, row.namespace])).toEqual([
      [F3, '/etc/shadow', NS_Q],
    ]);
    expect(profile.fileEvents!.total).toBe(1);
    expect(alertKeys(profile)).toEqual(['PA4', 'PA2']);
  });

  it('an explicit range cuts the file events too', async () => {
    const profile = await readEntityProfile(pool, pod, { from: '2045-01-01T00:00:00Z', to: '2045-01-06T00:00:00Z' });
    expect(profile.totals.events).toBe(0);
    expect(profile.activity.bucketMinutes).toBe(360);
    expect(profile.activity.buckets).toHaveLength(20);
    expect(profile.fileEvents!.rows.map((row) => row.time)).toEqual([F4]);
    expect(profile.fileEvents!.total).toBe(1);
    expect(profile.alerts.total).toBe(0);
  });
});

const viewer = await createTestSession('viewer');
const token = await createTestToken(['read']);

describe('GET /api/v1/entities/…', () => {
  const BASE = 'http://vigil.test/api/v1/entities';

  const userRequest = (name: string, query = '', headers: Record<string, string> = viewer.headers) =>
    getUser(new Request(`${BASE}/users/${encodeURIComponent(name)}${query}`, { headers }), {
      params: Promise.resolve({ name }),
    });
  const ipRequest = (address: string, query = '', headers: Record<string, string> = viewer.headers) =>
    getIp(new Request(`${BASE}/ips/${encodeURIComponent(address)}${query}`, { headers }), {
      params: Promise.resolve({ ip: address }),
    });
  const podRequest = (namespace: string, name: string, query = '', headers: Record<string, string> = viewer.headers) =>
    getPod(
      new Request(`${BASE}/pods/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}${query}`, { headers }),
      { params: Promise.resolve({ namespace, name }) },
    );
  const json = (value: unknown) => JSON.parse(JSON.stringify(value));

  it("serves the same profile as readEntityProfile to a session, names with `:` `@` `'` `+` intact", async () => {
    const response = await userRequest(USER);
    expect(response.status, await response.clone().text()).toBe(200);
    const body = await response.json();
    expect(body.entity).toEqual({ kind: 'user', name: USER });
    // The page's default: the day up to just after the latest request (U3), so U1–U3 and not U4, U5.
    expect(body.range).toEqual({ from: '2045-03-09T09:06:00.000Z', to: '2045-03-10T09:06:00.000Z', explicit: false });
    expect(body.totals.events).toBe(3);
    expect(body).toEqual(json(await readEntityProfile(pool, user, {})));
  });

  it('serves an IP (with its `:`s) and a pod to a read token, with an explicit range', async () => {
    const range = '?from=2045-03-09T00:00:00Z&to=2045-03-11T00:00:00Z';
    const ipResponse = await ipRequest(IP, range, bearer(token));
    expect(ipResponse.status, await ipResponse.clone().text()).toBe(200);
    const ipBody = await ipResponse.json();
    expect(ipBody.range).toEqual({ from: '2045-03-09T00:00:00.000Z', to: '2045-03-11T00:00:00.000Z', explicit: true });
    expect(ipBody.totals).toEqual({ events: 4, allowed: 2, forbidden: 2, other: 0 });
    expect(ipBody).toEqual(
      json(await readEntityProfile(pool, ip, { from: '2045-03-09T00:00:00Z', to: '2045-03-11T00:00:00Z' })),
    );

    const podResponse = await podRequest(NS, POD, range, bearer(token));
    expect(podResponse.status, await podResponse.clone().text()).toBe(200);
    const podBody = await podResponse.json();
    expect(podBody.entity).toEqual(pod);
    expect(podBody.fileEvents.total).toBe(2);
    expect(podBody).toEqual(
      json(await readEntityProfile(pool, pod, { from: '2045-03-09T00:00:00Z', to: '2045-03-11T00:00:00Z' })),
    );
  });

  it('reads a datetime-local range as UTC', async () => {
    const response = await userRequest(USER, '?from=2045-01-31T00:00&to=2045-02-02T00:00');
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.range).toEqual({ from: '2045-01-31T00:00:00.000Z', to: '2045-02-02T00:00:00.000Z', explicit: true });
    expect(body.totals.events).toBe(1);
  });

  it('rejects a range whose from is not before its to, or a time that is not one', async () => {
    for (const query of [
      '?from=2045-03-10T00:00:00Z&to=2045-03-09T00:00:00Z',
      '?from=2045-03-10T00:00:00Z&to=2045-03-10T00:00:00Z',
    ]) {
      const response = await userRequest(USER, query);
      expect(response.status).toBe(400);
      expect((await response.json()).error).toBe('from: must be before the end of the range (to)');
    }
    const bad = await podRequest(NS, POD, '?to=yesterday');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/^to: /);
  });

  it('rejects an over-long name, IP or namespace', async () => {
    const longUser = await userRequest('u'.repeat(1025));
    expect(longUser.status).toBe(400);
    expect((await longUser.json()).error).toMatch(/^name: /);
    expect((await userRequest('u'.repeat(1024))).status).toBe(200);

    const longIp = await ipRequest('1'.repeat(65));
    expect(longIp.status).toBe(400);
    expect((await longIp.json()).error).toMatch(/^ip: /);

    const longNamespace = await podRequest('n'.repeat(254), POD);
    expect(longNamespace.status).toBe(400);
    expect((await longNamespace.json()).error).toMatch(/^namespace: /);
  });

  it('answers 401 without credentials, and with an unknown token', async () => {
    expect((await userRequest(USER, '', {})).status).toBe(401);
    expect((await ipRequest(IP, '', {})).status).toBe(401);
    expect((await podRequest(NS, POD, '', {})).status).toBe(401);
    expect((await userRequest(USER, '', bearer('vgl_not-a-token'))).status).toBe(401);
  });
});
