// The Overview's panels over a time range against a real database: alerts by severity and by
// rule, the most alerted users, IPs and pods, secret access by outcome, ingest volume, triage
// speed and false-positive rate per rule, and the REST route's answers. Every row this file
// makes lies in 2041–2042, which no other file uses, so its ranges see only its own data.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as getOverview } from '../../app/api/v1/overview/route';
import { getPool } from '../../lib/db/pool';
import type { Overview } from '../../lib/overview/read-overview';
import { readTopEntities, resolveOverviewRange } from '../../lib/overview/read-overview';
import type { RuleHealth } from '../../lib/rules/list-rule-health';
import { chooseBucketMinutes } from '../../lib/time-range';
import { nativeEvent } from '../support/audit-events';
import {
  BURST_RULE,
  ENUMERATION_RULE,
  ingestEvents,
  insertAlert,
  secretGets,
  seedRules,
  uniqueUser,
} from '../support/alert-factory';
import { bearer, createTestSession, createTestToken } from '../support/credentials';

await seedRules();
const pool = getPool();
afterAll(async () => {
  await pool.end();
});

const BASE = 'http://vigil.test/api/v1/overview';
const viewer = await createTestSession('viewer');
const FROM = '2041-03-01T00:00:00.000Z';
const TO = '2041-03-03T00:00:00.000Z';
const MINUTE = 60_000;

type OverviewBody = Overview & { ruleHealth: RuleHealth[] };

const request = (query: string, headers: Record<string, string> = viewer.headers) =>
  getOverview(new Request(`${BASE}?${query}`, { headers }));

async function overviewOf(query: string, headers?: Record<string, string>): Promise<OverviewBody> {
  const response = await request(query, headers);
  expect(response.status, await response.clone().text()).toBe(200);
  return response.json();
}

const at = (time: string) => new Date(`2041-${time}:00Z`);
const suffix = randomUUID().slice(0, 8);
const userTop = uniqueUser('overview-top');
const userSecond = uniqueUser('overview-second');
const podNamespace = `overview-ns-${suffix}`;
const serviceAccount = `system:serviceaccount:${podNamespace}:runner`;
const podApi = `overview-api-${suffix}`;
const podWorker = `overview-worker-${suffix}`;
const podOrphan = `overview-orphan-${suffix}`;
const IP1 = '198.51.100.41';
const IP2 = '198.51.100.42';
const IP3 = '198.51.100.43';

/** Sets when the alert was raised, then writes its history `minutes` after that. */
async function history(
  alertId: string,
  raisedAt: Date,
  rows: { minutes: number; kind?: string; from: string | null; to: string | null }[],
) {
  await pool.query(`UPDATE alerts SET created_at = $2 WHERE id = $1`, [alertId, raisedAt]);
  for (const row of rows) {
    await pool.query(
      `INSERT INTO alert_activity (alert_id, actor_name, kind, from_value, to_value, created_at)
       VALUES ($1, 'overview test', $2, $3, $4, $5)`,
      [alertId, row.kind ?? 'status', row.from, row.to, new Date(raisedAt.getTime() + row.minutes * MINUTE)],
    );
  }
}

let body: OverviewBody;

beforeAll(async () => {
  // Alerts: a1–a8 overlap [FROM, TO); the last three do not.
  const a1 = await insertAlert(pool, {
    username: userTop,
    sourceIp: IP1,
    severity: 'high',
    ruleId: BURST_RULE,
    firstEventAt: at('03-01T01:10'),
    lastEventAt: at('03-01T01:15'),
  });
  const a2 = await insertAlert(pool, {
    username: userTop,
    sourceIp: IP1,
    severity: 'critical',
    ruleId: ENUMERATION_RULE,
    status: 'acknowledged',
    firstEventAt: at('03-01T01:20'),
  });
  const a3 = await insertAlert(pool, {
    username: userTop,
    sourceIp: IP2,
    severity: 'low',
    ruleId: BURST_RULE,
    status: 'closed',
    closeReason: 'false_positive',
    firstEventAt: at('03-01T05:00'),
  });
  const a4 = await insertAlert(pool, {
    username: userSecond,
    sourceIp: IP2,
    severity: 'medium',
    ruleId: BURST_RULE,
    status: 'closed',
    closeReason: 'true_positive',
    firstEventAt: at('03-01T05:30'),
  });
  // The pod's namespace is its service account's, not that of the secrets it read.
  const a5 = await insertAlert(pool, {
    username: serviceAccount,
    sourceIp: IP1,
    podName: podApi,
    namespaces: ['secrets-elsewhere'],
    severity: 'high',
    ruleId: BURST_RULE,
    status: 'acknowledged',
    firstEventAt: at('03-02T10:00'),
  });
  await insertAlert(pool, {
    username: serviceAccount,
    sourceIp: IP1,
    podName: podApi,
    severity: 'high',
    ruleId: ENUMERATION_RULE,
    firstEventAt: at('03-02T10:30'),
  });
  // Began before the range and ends inside it: counted, in the first bucket.
  const a7 = await insertAlert(pool, {
    username: userSecond,
    sourceIp: IP3,
    podName: podWorker,
    namespaces: ['batch-jobs', 'other'],
    severity: 'medium',
    ruleId: BURST_RULE,
    firstEventAt: at('02-28T23:00'),
    lastEventAt: at('03-01T00:30'),
  });
  // Began inside the range and ends after it.
  const a8 = await insertAlert(pool, {
    username: null,
    sourceIp: null,
    podName: podOrphan,
    namespaces: [],
    severity: 'low',
    ruleId: ENUMERATION_RULE,
    status: 'closed',
    closeReason: 'false_positive',
    firstEventAt: at('03-02T23:30'),
    lastEventAt: at('03-03T00:30'),
  });
  const outside = [
    await insertAlert(pool, {
      username: userTop,
      sourceIp: IP1,
      ruleId: BURST_RULE,
      status: 'closed',
      closeReason: 'false_positive',
      firstEventAt: at('03-05T10:00'),
    }),
    await insertAlert(pool, {
      username: userTop,
      sourceIp: IP1,
      ruleId: ENUMERATION_RULE,
      firstEventAt: at('02-28T22:00'),
      lastEventAt: at('02-28T23:59'),
    }),
    await insertAlert(pool, {
      username: userTop,
      sourceIp: IP1,
      ruleId: BURST_RULE,
      status: 'acknowledged',
      firstEventAt: at('03-03T00:00'),
    }),
  ];

  // Triage history: acknowledged after 10, 20, 30 and 40 minutes for the burst rule's alerts,
  // closed after 60 and 120 (a4's later reopen and second close do not count).
  const raised = (alertId: string, time: string) => ({ alertId, raisedAt: at(time) });
  const burst = [raised(a3, '03-01T06:00'), raised(a4, '03-01T06:30'), raised(a5, '03-02T11:00')];
  await history(burst[0]!.alertId, burst[0]!.raisedAt, [
    { minutes: 0, kind: 'created', from: null, to: 'open' },
    { minutes: 10, from: 'open', to: 'acknowledged' },
    { minutes: 60, from: 'acknowledged', to: 'closed' },
    { minutes: 60, kind: 'reason', from: null, to: 'false_positive' },
  ]);
  await history(burst[1]!.alertId, burst[1]!.raisedAt, [
    { minutes: 0, kind: 'created', from: null, to: 'open' },
    { minutes: 20, from: 'open', to: 'acknowledged' },
    { minutes: 120, from: 'acknowledged', to: 'closed' },
    { minutes: 200, from: 'closed', to: 'open' },
    { minutes: 300, from: 'open', to: 'closed' },
  ]);
  await history(burst[2]!.alertId, burst[2]!.raisedAt, [{ minutes: 30, from: 'open', to: 'acknowledged' }]);
  await history(a7, at('03-01T01:00'), [
    { minutes: 40, from: 'open', to: 'acknowledged' },
    { minutes: 50, from: 'acknowledged', to: 'open' },
  ]);
  await history(a1, at('03-01T02:00'), [{ minutes: 0, kind: 'created', from: null, to: 'open' }]);
  // Enumeration rule: acknowledged after 5 minutes, closed (as a false positive) after 15.
  await history(a2, at('03-01T02:00'), [{ minutes: 5, from: 'open', to: 'acknowledged' }]);
  await history(a8, at('03-03T01:00'), [{ minutes: 15, from: 'open', to: 'closed' }]);
  // Out of range: would move every figure of the burst rule if it leaked in.
  await history(outside[0]!, at('03-05T11:00'), [
    { minutes: 1, from: 'open', to: 'acknowledged' },
    { minutes: 2, from: 'acknowledged', to: 'closed' },
  ]);

  // Secret access: one user per outcome, each GETting one secret again and again, so no rule fires.
  const gets = (user: string, start: string, count: number) =>
    secretGets({ user, start: at(start), names: Array.from({ length: count }, () => 'db-credentials') });
  const forbid = (event: Record<string, unknown>, code: number, decision: boolean) => ({
    ...event,
    responseStatus: { metadata: {}, code },
    annotations: decision ? { 'authorization.k8s.io/decision': 'forbid' } : {},
  });
  const events = [
    ...gets(uniqueUser('overview-allowed'), '03-01T02:05', 3),
    ...gets(uniqueUser('overview-forbidden'), '03-01T02:10', 2).map((event) => forbid(event, 403, true)),
    ...gets(uniqueUser('overview-unauthorized'), '03-01T07:00', 1).map((event) => forbid(event, 401, false)),
    ...gets(uniqueUser('overview-received'), '03-01T07:30', 1).map((event) => {
      const { responseStatus: _code, annotations: _annotations, ...received } = event;
      return { ...received, stage: 'RequestReceived' };
    }),
    nativeEvent({
      user: { username: uniqueUser('overview-configmaps'), groups: ['system:authenticated'] },
      requestURI: '/api/v1/namespaces/payments/configmaps/settings',
      objectRef: { resource: 'configmaps', namespace: 'payments', name: 'settings', apiVersion: 'v1' },
      requestReceivedTimestamp: at('03-01T02:20').toISOString(),
      stageTimestamp: at('03-01T02:20').toISOString(),
    }),
    ...gets(uniqueUser('overview-later'), '03-04T12:00', 1),
  ];
  await ingestEvents(pool, events, `overview-${suffix}`);

  // Ingest batches, placed by when they started.
  for (const [source, stored, startedAt] of [
    ['upload', 100, '03-01T03:15'],
    ['webhook', 40, '03-01T03:40'],
    ['cli', 7, '03-02T10:00'],
    ['demo', 999, '03-05T10:00'],
  ] as const) {
    await pool.query(
      `INSERT INTO ingest_batches (id, source, cluster, status, stored, received, started_at, finished_at)
       VALUES (gen_random_uuid(), $1::"BatchSource", $2, 'completed', $3, $3, $4, $4)`,
      [source, `overview-${suffix}`, stored, at(startedAt)],
    );
  }

  body = await overviewOf(`from=${FROM}&to=${TO}`);
});

const bucketAt = <T extends { start: string }>(buckets: T[], time: string) => {
  const bucket = buckets.find((entry) => entry.start === at(time).toISOString());
  if (!bucket) throw new Error(`no bucket at ${time}`);
  return bucket;
};

describe('GET /api/v1/overview', () => {
  it('answers for the asked range in hourly buckets', () => {
    expect(body.range).toMatchObject({ from: FROM, to: TO, explicit: true, bucketMinutes: 60 });
    for (const buckets of [body.alertsOverTime.buckets, body.secretAccess.buckets, body.ingestVolume.buckets]) {
      expect(buckets).toHaveLength(48);
      expect(buckets[0]!.start).toBe(FROM);
      expect(buckets.at(-1)!.start).toBe(at('03-02T23:00').toISOString());
    }
  });

  it('counts alerts overlapping the range per bucket of their first event, by severity', () => {
    const { buckets, total } = body.alertsOverTime;
    expect(total).toBe(8);
    const none = { low: 0, medium: 0, high: 0, critical: 0 };
    expect(bucketAt(buckets, '03-01T00:00')).toEqual({ ...none, start: FROM, medium: 1 });
    expect(bucketAt(buckets, '03-01T01:00')).toMatchObject({ ...none, high: 1, critical: 1 });
    expect(bucketAt(buckets, '03-01T02:00')).toMatchObject(none);
    expect(bucketAt(buckets, '03-01T05:00')).toMatchObject({ ...none, low: 1, medium: 1 });
    expect(bucketAt(buckets, '03-02T10:00')).toMatchObject({ ...none, high: 2 });
    expect(bucketAt(buckets, '03-02T23:00')).toMatchObject({ ...none, low: 1 });
    const summed = buckets.reduce((sum, bucket) => sum + bucket.low + bucket.medium + bucket.high + bucket.critical, 0);
    expect(summed).toBe(8);
  });

  it('counts open and acknowledged alerts per rule, the most first', async () => {
    expect(body.openAlertsByRule.map(({ ruleId, open, acknowledged }) => ({ ruleId, open, acknowledged }))).toEqual([
      { ruleId: BURST_RULE, open: 2, acknowledged: 1 },
      { ruleId: ENUMERATION_RULE, open: 1, acknowledged: 1 },
    ]);
    const names = await pool.query<{ id: string; name: string }>(`SELECT id, name FROM rules WHERE id = ANY($1)`, [
      [BURST_RULE, ENUMERATION_RULE],
    ]);
    const nameOf = (id: string) => names.rows.find((row) => row.id === id)!.name;
    expect(body.openAlertsByRule.map((row) => row.ruleName)).toEqual([nameOf(BURST_RULE), nameOf(ENUMERATION_RULE)]);
  });

  it('ranks users, source IPs and pods by alerts, ties by name', () => {
    expect(body.topEntities.users).toEqual([
      { name: userTop, count: 3 },
      { name: userSecond, count: 2 },
      { name: serviceAccount, count: 2 },
    ]);
    expect(body.topEntities.sourceIps).toEqual([
      { ip: IP1, count: 4 },
      { ip: IP2, count: 2 },
      { ip: IP3, count: 1 },
    ]);
    expect(body.topEntities.pods).toEqual([
      { namespace: podNamespace, name: podApi, count: 2 },
      { namespace: null, name: podOrphan, count: 1 },
      { namespace: 'batch-jobs', name: podWorker, count: 1 },
    ]);
  });

  it('keeps to the limit of each top list', async () => {
    const resolved = await resolveOverviewRange(pool, { from: FROM, to: TO });
    if (!resolved.ok) throw new Error(resolved.error);
    const top = await readTopEntities(pool, resolved.range, 2);
    expect(top.users.map((user) => user.name)).toEqual([userTop, userSecond]);
    expect(top.sourceIps.map((entry) => entry.ip)).toEqual([IP1, IP2]);
    expect(top.pods.map((pod) => pod.name)).toEqual([podApi, podOrphan]);
  });

  it('splits requests on secrets into allowed, forbidden and no outcome per bucket', () => {
    const { buckets, totals } = body.secretAccess;
    expect(totals).toEqual({ allowed: 3, forbidden: 3, other: 1 });
    expect(bucketAt(buckets, '03-01T02:00')).toMatchObject({ allowed: 3, forbidden: 2, other: 0 });
    expect(bucketAt(buckets, '03-01T07:00')).toMatchObject({ allowed: 0, forbidden: 1, other: 1 });
    expect(bucketAt(buckets, '03-01T03:00')).toMatchObject({ allowed: 0, forbidden: 0, other: 0 });
  });

  it('sums the events stored by batches started in each bucket, by source', () => {
    expect(body.ingestVolume.total).toBe(147);
    expect(bucketAt(body.ingestVolume.buckets, '03-01T03:00')).toMatchObject({
      upload: 100,
      webhook: 40,
      cli: 0,
      demo: 0,
    });
    expect(bucketAt(body.ingestVolume.buckets, '03-02T10:00')).toMatchObject({
      upload: 0,
      webhook: 0,
      cli: 7,
      demo: 0,
    });
  });

  it('times acknowledging and closing per rule from the alert history, with the false-positive rate', () => {
    const burst = body.triageByRule.find((row) => row.ruleId === BURST_RULE)!;
    expect(burst).toMatchObject({ alerts: 5, closed: 2, falsePositives: 1, falsePositiveRate: 0.5 });
    expect(burst.timeToAcknowledge.count).toBe(4);
    expect(burst.timeToAcknowledge.medianSeconds).toBeCloseTo(25 * 60, 6);
    expect(burst.timeToAcknowledge.p90Seconds).toBeCloseTo(37 * 60, 6);
    expect(burst.timeToClose.count).toBe(2);
    expect(burst.timeToClose.medianSeconds).toBeCloseTo(90 * 60, 6);
    expect(burst.timeToClose.p90Seconds).toBeCloseTo(114 * 60, 6);

    const enumeration = body.triageByRule.find((row) => row.ruleId === ENUMERATION_RULE)!;
    expect(enumeration).toMatchObject({
      alerts: 3,
      closed: 1,
      falsePositives: 1,
      falsePositiveRate: 1,
      timeToAcknowledge: { count: 1, medianSeconds: 300, p90Seconds: 300 },
      timeToClose: { count: 1, medianSeconds: 900, p90Seconds: 900 },
    });

    const quiet = body.triageByRule.filter((row) => row.ruleId !== BURST_RULE && row.ruleId !== ENUMERATION_RULE);
    expect(quiet.length).toBeGreaterThan(0);
    for (const row of quiet) {
      expect(row).toMatchObject({
        alerts: 0,
        closed: 0,
        falsePositiveRate: null,
        timeToAcknowledge: { count: 0, medianSeconds: null, p90Seconds: null },
      });
    }
  });

  it('lists every rule in the triage table and in rule health', async () => {
    const rules = await pool.query<{ id: string }>(`SELECT id FROM rules`);
    const ids = rules.rows.map((row) => row.id).sort();
    expect(body.triageByRule.map((row) => row.ruleId).sort()).toEqual(ids);
    expect(body.ruleHealth.map((row) => row.ruleId).sort()).toEqual(ids);
  });

  it('narrows every panel to a smaller range', async () => {
    const narrow = await overviewOf(`from=2041-03-01T05:00:00Z&to=2041-03-01T06:00:00Z`);
    expect(narrow.range.bucketMinutes).toBe(1);
    expect(narrow.alertsOverTime.total).toBe(2);
    expect(narrow.topEntities.users).toEqual([
      { name: userSecond, count: 1 },
      { name: userTop, count: 1 },
    ]);
    expect(narrow.openAlertsByRule).toEqual([]);
    expect(narrow.secretAccess.totals).toEqual({ allowed: 0, forbidden: 0, other: 0 });
    expect(narrow.ingestVolume.total).toBe(0);
    expect(narrow.triageByRule.find((row) => row.ruleId === BURST_RULE)).toMatchObject({
      alerts: 2,
      closed: 2,
      falsePositives: 1,
    });
  });

  it('reads datetime-local values as UTC', async () => {
    const local = await overviewOf(`from=2041-03-01T00:00&to=2041-03-03T00:00`);
    expect(local.range).toMatchObject({ from: FROM, to: TO });
    expect(local.alertsOverTime.total).toBe(8);
  });

  it('defaults to the 14 days up to the newest stored event, starting no earlier than the oldest', async () => {
    // The span is the whole table's: other files' rows move it, so the expectation reads it too.
    const span = await pool.query<{ earliest: Date; latest: Date }>(
      `SELECT min(time) AS earliest, max(time) AS latest FROM audit_events`,
    );
    const { earliest, latest } = span.rows[0]!;
    const defaulted = await overviewOf('');
    const to = Math.ceil((latest.getTime() + 1) / MINUTE) * MINUTE;
    const from = Math.max(to - 14 * 1440 * MINUTE, Math.floor(earliest.getTime() / MINUTE) * MINUTE);
    const bucketMinutes = chooseBucketMinutes(new Date(from), new Date(to));
    expect(bucketMinutes).toBeGreaterThanOrEqual(60);
    // Buckets of an hour or more start on the UTC hour before the range does, so whole buckets read whole rolled-up hours.
    const origin = Math.floor(from / (60 * MINUTE)) * 60 * MINUTE;
    expect(origin).toBeLessThan(from);
    expect(defaulted.range).toEqual({
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      explicit: false,
      bucketMinutes,
      bucketOrigin: new Date(origin).toISOString(),
      latestEventAt: latest.toISOString(),
    });
    for (const buckets of [
      defaulted.alertsOverTime.buckets,
      defaulted.secretAccess.buckets,
      defaulted.ingestVolume.buckets,
    ]) {
      expect(buckets[0]!.start).toBe(new Date(origin).toISOString());
      expect(new Date(buckets.at(-1)!.start).getTime()).toBeLessThan(to);
      expect(new Date(buckets.at(-1)!.start).getTime() + bucketMinutes * MINUTE).toBeGreaterThanOrEqual(to);
    }
  });

  it('takes an API token with the read scope', async () => {
    const token = await createTestToken(['read']);
    const viaToken = await overviewOf(`from=${FROM}&to=${TO}`, bearer(token));
    expect(viaToken.alertsOverTime.total).toBe(8);
  });

  it('refuses a range it cannot read with 400', async () => {
    for (const [query, message] of [
      [`from=${TO}&to=${FROM}`, 'from: must be before the end of the range (to)'],
      ['from=yesterday', 'from:'],
      ['to=2041-13-01T00:00', 'to:'],
      ['from=2031-01-01T00:00:00Z&to=2041-01-01T00:00:00Z', 'more than 731 days'],
    ] as const) {
      const response = await request(query);
      expect(response.status, query).toBe(400);
      const error = (await response.json()) as { error: string };
      expect(error.error, query).toContain(message);
    }
  });

  it('refuses a request without credentials with 401', async () => {
    const response = await request(`from=${FROM}&to=${TO}`, {});
    expect(response.status).toBe(401);
    const revoked = await request(`from=${FROM}&to=${TO}`, bearer('vigil_not_a_token'));
    expect(revoked.status).toBe(401);
  });
});
