// The allowlist REST API against a real database: the impact preview over alerts the engine
// really raised, the SQL preview agreeing with the engine's own matcher, saving an entry
// (closing what it explains, and keeping it closed on the next detection run), validation,
// editing, deleting and who may do what.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as previewRoute } from '../../app/api/v1/allowlist/preview/route';
import { DELETE as deleteRoute, PATCH as patchRoute } from '../../app/api/v1/allowlist/[id]/route';
import { GET as listRoute, POST as createRoute } from '../../app/api/v1/allowlist/route';
import { buildConditionsSql } from '../../lib/allowlist/allowlist-condition-sql';
import { compileAllowlist, findAllowlistMatch } from '../../lib/allowlist/match-allowlist';
import { allowlistConditionSchema } from '../../lib/allowlist/schemas';
import { getPool } from '../../lib/db/pool';
import { DETECTION_AUDIT_COLUMNS, toDetectionEvent } from '../../lib/engine/read-detection-input';
import type { AllowlistCondition } from '../../lib/allowlist/schemas';
import type { DetectionAuditEvent } from '../../lib/detections/types';
import {
  alertsOf,
  BURST_RULE,
  detectBursts,
  ENUMERATION_RULE,
  historyOf,
  ingestEvents,
  jsonRequest,
  raiseBurstAlert,
  secretGets,
  seedRules,
  timeSlots,
  uniqueUser,
} from '../support/alert-factory';
import { nativeEvent } from '../support/audit-events';
import { bearer, createTestSession, createTestToken } from '../support/credentials';

await seedRules();
const pool = getPool();
afterAll(async () => {
  await pool.end();
});

const BASE = 'http://vigil.test/api/v1/allowlist';
const BURST_RULE_NAME = 'Rapid secret GETs against multiple objects';
const nextSlot = timeSlots('2032-01-01T00:00:00Z');
const analyst = await createTestSession('analyst');
const viewer = await createTestSession('viewer');

type Headers = Record<string, string>;
type Impact = {
  evidenceEvents: number;
  storedEvents: number;
  alerts: number;
  alertsToClose: number;
  sample: unknown[];
};
type Entry = {
  id: string;
  ruleId: string | null;
  ruleName: string | null;
  conditions: AllowlistCondition[];
  reason: string;
  enabled: boolean;
  authorName: string;
  sourceAlertId: string | null;
  expiresAt: string | null;
  expired: boolean;
  hitCount: number;
  lastHitAt: string | null;
  alertsClosed: number;
};

const preview = (body: unknown, headers: Headers = analyst.headers) =>
  previewRoute(jsonRequest(`${BASE}/preview`, 'POST', body, headers));
async function impactOf(body: unknown): Promise<Impact> {
  const response = await preview(body);
  expect(response.status, await response.clone().text()).toBe(200);
  return response.json();
}
const create = (body: unknown, headers: Headers = analyst.headers) =>
  createRoute(jsonRequest(BASE, 'POST', body, headers));
const list = (headers: Headers = analyst.headers) => listRoute(new Request(BASE, { headers }));
const params = (id: string) => ({ params: Promise.resolve({ id }) });
const patch = (id: string, body: unknown, headers: Headers = analyst.headers) =>
  patchRoute(jsonRequest(`${BASE}/${id}`, 'PATCH', body, headers), params(id));
const remove = (id: string, headers: Headers = analyst.headers) =>
  deleteRoute(new Request(`${BASE}/${id}`, { method: 'DELETE', headers }), params(id));

async function listedEntry(id: string, headers: Headers = analyst.headers): Promise<Entry | undefined> {
  const response = await list(headers);
  expect(response.status).toBe(200);
  return ((await response.json()).entries as Entry[]).find((entry) => entry.id === id);
}

async function storedEntries(reason: string) {
  const result = await pool.query<{ id: string; enabled: boolean; hit_count: string }>(
    `SELECT id, enabled, hit_count::text FROM allowlist_entries WHERE reason = $1`,
    [reason],
  );
  return result.rows;
}

const usernameIs = (user: string): AllowlistCondition => ({ field: 'username', op: 'exact', value: user });

describe('POST /api/v1/allowlist/preview', () => {
  const tag = randomUUID().slice(0, 8);
  const user = uniqueUser('preview');
  const pod = `runner-${tag}-7f9c`;
  const names = ['db-password', 'stripe-key', 'tls-cert', 'registry-creds', 'ssh-key'].map((name) => `${tag}-${name}`);
  let alertId = '';

  beforeAll(async () => {
    const slot = nextSlot();
    const burst = { user, sourceIp: '10.77.4.20', podName: pod, cluster: 'preview', names };
    alertId = (await raiseBurstAlert(pool, slot, burst)).id;
    // One more event of the same client that no rule made evidence: stored, matched, but not part of an alert.
    const listing = nativeEvent({
      verb: 'list',
      user: { username: user, groups: [], extra: { 'authentication.kubernetes.io/pod-name': [pod] } },
      sourceIPs: ['10.77.4.20'],
      objectRef: { resource: 'pods', namespace: 'payments', apiVersion: 'v1' },
      requestReceivedTimestamp: new Date(slot.start.getTime() + 5 * 60_000).toISOString(),
    });
    await ingestEvents(pool, [listing], 'preview');
  });

  it("counts an entry on the alert's user, scoped to its rule: its evidence, the stored events and the alert to close", async () => {
    const impact = await impactOf({ ruleId: BURST_RULE, conditions: [usernameIs(user)] });
    expect(impact).toEqual({
      evidenceEvents: 5,
      storedEvents: 6,
      alerts: 1,
      alertsToClose: 1,
      sample: [
        {
          id: alertId,
          ruleId: BURST_RULE,
          ruleName: BURST_RULE_NAME,
          cluster: 'preview',
          username: user,
          sourceIp: '10.77.4.20',
          status: 'open',
        },
      ],
    });
  });

  it('counts the same entry scoped to all rules alike, and to another rule only as stored events', async () => {
    expect(await impactOf({ ruleId: null, conditions: [usernameIs(user)] })).toMatchObject({
      evidenceEvents: 5,
      alerts: 1,
      alertsToClose: 1,
    });
    expect(await impactOf({ ruleId: ENUMERATION_RULE, conditions: [usernameIs(user)] })).toEqual({
      evidenceEvents: 0,
      storedEvents: 6,
      alerts: 0,
      alertsToClose: 0,
      sample: [],
    });
  });

  it('matches nothing for another username, or for a look-alike prefix of this one', async () => {
    const none = { evidenceEvents: 0, storedEvents: 0, alerts: 0, alertsToClose: 0, sample: [] };
    expect(await impactOf({ ruleId: BURST_RULE, conditions: [usernameIs(uniqueUser('someone-else'))] })).toEqual(none);
    expect(await impactOf({ ruleId: BURST_RULE, conditions: [usernameIs(user.slice(0, -1))] })).toEqual(none);
  });

  it('matches source IPs by CIDR', async () => {
    const inRange = await impactOf({
      ruleId: BURST_RULE,
      conditions: [{ field: 'sourceIp', op: 'cidr', value: '10.77.0.0/16' }],
    });
    expect(inRange).toMatchObject({ evidenceEvents: 5, storedEvents: 6, alerts: 1, alertsToClose: 1 });
    const outside = await impactOf({
      ruleId: BURST_RULE,
      conditions: [{ field: 'sourceIp', op: 'cidr', value: ['10.78.0.0/16', '2001:db8::/32'] }],
    });
    expect(outside).toMatchObject({ evidenceEvents: 0, storedEvents: 0, alerts: 0 });
  });

  it('matches secret names by glob: all of them explain the alert, one of them does not', async () => {
    const all = await impactOf({ ruleId: BURST_RULE, conditions: [{ field: 'name', op: 'glob', value: `${tag}-*` }] });
    expect(all).toMatchObject({ evidenceEvents: 5, storedEvents: 5, alerts: 1, alertsToClose: 1 });
    const one = await impactOf({
      ruleId: BURST_RULE,
      conditions: [{ field: 'name', op: 'glob', value: `${tag}-db-pa?sword` }],
    });
    expect(one).toEqual({ evidenceEvents: 1, storedEvents: 1, alerts: 0, alertsToClose: 0, sample: [] });
  });

  it('matches pod names by prefix, never by substring', async () => {
    const prefix = await impactOf({
      ruleId: BURST_RULE,
      conditions: [{ field: 'podName', op: 'prefix', value: `runner-${tag}-` }],
    });
    expect(prefix).toMatchObject({ evidenceEvents: 5, storedEvents: 6, alerts: 1, alertsToClose: 1 });
    const inside = await impactOf({
      ruleId: BURST_RULE,
      conditions: [{ field: 'podName', op: 'prefix', value: `unner-${tag}-` }],
    });
    expect(inside).toMatchObject({ evidenceEvents: 0, storedEvents: 0, alerts: 0 });
  });

  it('joins conditions with AND', async () => {
    const both = await impactOf({
      ruleId: BURST_RULE,
      conditions: [usernameIs(user), { field: 'name', op: 'oneOf', value: [names[0]!, names[1]!] }],
    });
    expect(both).toMatchObject({ evidenceEvents: 2, storedEvents: 2, alerts: 0, alertsToClose: 0 });
  });

  it('counts the source alert among those to close even when the entry explains only part of it', async () => {
    const partial = await impactOf({
      ruleId: BURST_RULE,
      conditions: [{ field: 'name', op: 'exact', value: names[0]! }],
      sourceAlertId: alertId,
    });
    expect(partial).toMatchObject({ evidenceEvents: 1, alerts: 0, alertsToClose: 1, sample: [{ id: alertId }] });
  });

  it('writes nothing', async () => {
    const counts = async () =>
      (
        await pool.query(
          `SELECT (SELECT count(*) FROM allowlist_entries WHERE strpos(conditions::text, $2) > 0)::int AS entries,
                  (SELECT count(*) FROM alert_activity WHERE alert_id = $1)::int AS history,
                  (SELECT status FROM alerts WHERE id = $1) AS status`,
          [alertId, user],
        )
      ).rows[0];
    const before = await counts();
    await impactOf({ ruleId: BURST_RULE, conditions: [usernameIs(user)], sourceAlertId: alertId });
    expect(await counts()).toEqual(before);
    expect(before).toMatchObject({ entries: 0, status: 'open' });
  });

  it('validates the scope like saving does, and is for those who may triage', async () => {
    const bad = await preview({
      ruleId: BURST_RULE,
      conditions: [{ field: 'username', op: 'cidr', value: '10.0.0.0/8' }],
    });
    expect(bad.status).toBe(400);
    expect((await preview({ ruleId: BURST_RULE, conditions: [] })).status).toBe(400);
    const zone = await preview({
      ruleId: BURST_RULE,
      conditions: [{ field: 'sourceIp', op: 'cidr', value: 'fe80::1%eth0' }],
    });
    expect(zone.status).toBe(400);
    expect((await preview({ ruleId: BURST_RULE, conditions: [usernameIs(user)] }, viewer.headers)).status).toBe(403);
    const readToken = bearer(await createTestToken(['read']));
    expect((await preview({ ruleId: BURST_RULE, conditions: [usernameIs(user)] }, readToken)).status).toBe(403);
  });
});

describe('the SQL preview and the engine match the same events', () => {
  const tag = randomUUID().slice(0, 8);
  const cluster = `match-${tag}`;
  const alice = `alice-${tag}`;
  const bob = `bob-${tag}`;
  const time = '2032-06-01T12:00:00Z';
  const event = (label: string, fields: Record<string, unknown>) => ({
    label,
    event: nativeEvent({
      requestReceivedTimestamp: time,
      stageTimestamp: time,
      userAgent: undefined,
      ...fields,
    }),
  });
  const secret = (namespace: string, name: string) => ({ resource: 'secrets', namespace, name, apiVersion: 'v1' });
  const pod = (podName: string, nodeName: string) => ({
    'authentication.kubernetes.io/pod-name': [podName],
    'authentication.kubernetes.io/node-name': [nodeName],
  });
  const events = [
    event('plain', {
      user: { username: alice, groups: ['system:authenticated', 'devs'], extra: pod('api-7f9c', 'node-a') },
      sourceIPs: ['203.0.113.9', '10.99.1.5'],
      userAgent: 'kubectl/v1.30.2',
      objectRef: secret('payments', 'db_creds'),
    }),
    event('lookalike', {
      user: { username: `${alice}-admin`, groups: ['system:authenticated'], extra: pod('web-api-1', 'node-b') },
      sourceIPs: ['10.99.200.1'],
      userAgent: 'kubectl/v1.29.0',
      objectRef: secret('payments-prod', 'dbXcreds'),
    }),
    event('percent', {
      user: { username: bob, groups: ['system:serviceaccounts'] },
      sourceIPs: ['2001:db8:99::7'],
      userAgent: 'curl/8.5.0',
      objectRef: secret('shop', '50%-off'),
    }),
    event('fifty', {
      user: { username: bob, groups: [] },
      sourceIPs: ['unknown'],
      objectRef: secret('shop', '50-off'),
    }),
    event('emoji', {
      user: { username: bob, groups: [] },
      sourceIPs: ['2001:db8:98::1'],
      objectRef: secret('shop', 'a😀b'),
    }),
    event('nulls', {
      user: { username: `carol-${tag}` },
      sourceIPs: [],
      verb: 'list',
      objectRef: { resource: 'namespaces', apiVersion: 'v1' },
    }),
  ];
  const labels = new Map(events.map(({ label, event: native }) => [native.auditID, label]));
  let stored: DetectionAuditEvent[] = [];

  beforeAll(async () => {
    await ingestEvents(
      pool,
      events.map(({ event: native }) => native),
      cluster,
    );
    const result = await pool.query(`SELECT ${DETECTION_AUDIT_COLUMNS} FROM audit_events e WHERE e.cluster = $1`, [
      cluster,
    ]);
    stored = result.rows.map(toDetectionEvent);
    expect(stored).toHaveLength(events.length);
    const nulls = stored.find((row) => labels.get(row.auditId) === 'nulls')!;
    expect(nulls).toMatchObject({ sourceIp: null, namespace: null, name: null, podName: null, userAgent: null });
  });

  async function matchedBySql(conditions: AllowlistCondition[]) {
    const params: unknown[] = [cluster];
    const matches = buildConditionsSql(conditions, 'e', params);
    const result = await pool.query<{ audit_id: string }>(
      `SELECT e.audit_id FROM audit_events e WHERE e.cluster = $1 AND ${matches}`,
      params,
    );
    return result.rows.map((row) => labels.get(row.audit_id)!).sort();
  }

  function matchedByEngine(conditions: AllowlistCondition[]) {
    const entries = compileAllowlist([{ id: 'entry', ruleId: BURST_RULE, conditions }]);
    return stored
      .filter((row) => findAllowlistMatch(entries, BURST_RULE, row) !== undefined)
      .map((row) => labels.get(row.auditId)!)
      .sort();
  }

  const cases: { name: string; conditions: AllowlistCondition[]; expected: string[] }[] = [
    {
      name: 'exact username, not its look-alike',
      conditions: [{ field: 'username', op: 'exact', value: alice }],
      expected: ['plain'],
    },
    {
      name: 'oneOf usernames',
      conditions: [{ field: 'username', op: 'oneOf', value: [alice, `carol-${tag}`] }],
      expected: ['nulls', 'plain'],
    },
    {
      name: 'prefix of a username',
      conditions: [{ field: 'username', op: 'prefix', value: alice }],
      expected: ['lookalike', 'plain'],
    },
    {
      name: 'glob with a literal _',
      conditions: [{ field: 'name', op: 'glob', value: 'db_creds' }],
      expected: ['plain'],
    },
    {
      name: 'glob ? for one character',
      conditions: [{ field: 'name', op: 'glob', value: 'db?creds' }],
      expected: ['lookalike', 'plain'],
    },
    {
      name: 'glob ? for one character outside the BMP',
      conditions: [{ field: 'name', op: 'glob', value: 'a?b' }],
      expected: ['emoji'],
    },
    {
      name: 'glob with a literal %',
      conditions: [{ field: 'name', op: 'glob', value: '50%*' }],
      expected: ['percent'],
    },
    {
      name: 'glob * at the start',
      conditions: [{ field: 'name', op: 'glob', value: '*-off' }],
      expected: ['fifty', 'percent'],
    },
    {
      name: 'exact value holding a %',
      conditions: [{ field: 'name', op: 'exact', value: '50%-off' }],
      expected: ['percent'],
    },
    {
      name: 'prefix with a literal _',
      conditions: [{ field: 'name', op: 'prefix', value: 'db_' }],
      expected: ['plain'],
    },
    {
      name: 'glob on a namespace',
      conditions: [{ field: 'namespace', op: 'glob', value: 'payments*' }],
      expected: ['lookalike', 'plain'],
    },
    {
      name: 'IPv4 CIDR',
      conditions: [{ field: 'sourceIp', op: 'cidr', value: '10.99.0.0/16' }],
      expected: ['lookalike', 'plain'],
    },
    {
      name: 'IPv4 /24 and a bare address',
      conditions: [{ field: 'sourceIp', op: 'cidr', value: ['10.99.1.0/24', '10.99.200.1'] }],
      expected: ['lookalike', 'plain'],
    },
    {
      name: 'IPv6 CIDR',
      conditions: [{ field: 'sourceIp', op: 'cidr', value: '2001:db8:99::/48' }],
      expected: ['percent'],
    },
    {
      name: 'every IPv4 address, but not "unknown", IPv6 or no address',
      conditions: [{ field: 'sourceIp', op: 'cidr', value: '0.0.0.0/0' }],
      expected: ['lookalike', 'plain'],
    },
    {
      name: 'a source IP that is not an address, matched exactly',
      conditions: [{ field: 'sourceIp', op: 'exact', value: 'unknown' }],
      expected: ['fifty'],
    },
    {
      name: 'CIDR over every forwarded source IP',
      conditions: [{ field: 'sourceIps', op: 'cidr', value: '203.0.113.0/24' }],
      expected: ['plain'],
    },
    {
      name: 'exact over groups',
      conditions: [{ field: 'groups', op: 'exact', value: 'devs' }],
      expected: ['plain'],
    },
    {
      name: 'glob over groups',
      conditions: [{ field: 'groups', op: 'glob', value: 'system:*' }],
      expected: ['lookalike', 'percent', 'plain'],
    },
    {
      name: 'prefix of a user agent',
      conditions: [{ field: 'userAgent', op: 'prefix', value: 'kubectl/' }],
      expected: ['lookalike', 'plain'],
    },
    {
      name: 'pod and node names',
      conditions: [
        { field: 'podName', op: 'prefix', value: 'api-' },
        { field: 'nodeName', op: 'exact', value: 'node-a' },
      ],
      expected: ['plain'],
    },
    {
      name: 'verb, resource and cluster together',
      conditions: [
        { field: 'verb', op: 'oneOf', value: ['get', 'watch'] },
        { field: 'resource', op: 'exact', value: 'secrets' },
        { field: 'cluster', op: 'exact', value: cluster },
      ],
      expected: ['emoji', 'fifty', 'lookalike', 'percent', 'plain'],
    },
    {
      name: 'two conditions, both needed',
      conditions: [
        { field: 'username', op: 'prefix', value: alice },
        { field: 'namespace', op: 'exact', value: 'payments-prod' },
      ],
      expected: ['lookalike'],
    },
  ];

  it.each(cases)('$name', async ({ conditions, expected }) => {
    for (const condition of conditions) expect(allowlistConditionSchema.safeParse(condition).success).toBe(true);
    expect(await matchedBySql(conditions)).toEqual(expected);
    expect(matchedByEngine(conditions)).toEqual(expected);
  });
});

describe('POST /api/v1/allowlist', () => {
  it('saves an entry from an alert, closes what it explains, and keeps it closed on the next detection run', async () => {
    const slot = nextSlot();
    const user = uniqueUser('backup-job');
    const burst = { user, sourceIp: '198.18.7.7', cluster: 'create' };
    const at = (minutes: number) => new Date(slot.start.getTime() + minutes * 60_000);
    await ingestEvents(
      pool,
      [0, 20, 40].flatMap((minutes) =>
        secretGets({
          ...burst,
          start: at(minutes),
          names: ['k1', 'k2', 'k3', 'k4', 'k5'].map((k) => `${k}-${minutes}`),
        }),
      ),
      burst.cluster,
    );
    await detectBursts(pool, slot);
    const [source, acknowledged, closed] = await alertsOf(pool, user);
    expect(closed).toBeDefined();
    await pool.query(`UPDATE alerts SET status = 'acknowledged' WHERE id = $1`, [acknowledged!.id]);
    await pool.query(`UPDATE alerts SET status = 'closed', close_reason = 'true_positive' WHERE id = $1`, [closed!.id]);
    const closedHistory = await historyOf(pool, closed!.id);

    const reason = `The nightly backup job reads these ${randomUUID()}`;
    const response = await create({
      ruleId: BURST_RULE,
      conditions: [usernameIs(user)],
      reason,
      sourceAlertId: source!.id,
    });
    expect(response.status).toBe(201);
    const created = await response.json();
    expect(created).toMatchObject({
      closedAlerts: 2,
      entry: {
        ruleId: BURST_RULE,
        ruleName: BURST_RULE_NAME,
        conditions: [usernameIs(user)],
        reason,
        enabled: true,
        authorName: analyst.email,
        sourceAlertId: source!.id,
        expiresAt: null,
        hitCount: 0,
        alertsClosed: 2,
      },
    });
    const entryId: string = created.entry.id;

    expect(await alertsOf(pool, user)).toEqual([
      { id: source!.id, status: 'closed', close_reason: 'false_positive', event_count: 5 },
      { id: acknowledged!.id, status: 'closed', close_reason: 'false_positive', event_count: 5 },
      { id: closed!.id, status: 'closed', close_reason: 'true_positive', event_count: 5 },
    ]);
    expect((await historyOf(pool, source!.id)).slice(1)).toEqual([
      expect.objectContaining({ kind: 'status', from_value: 'open', to_value: 'closed', actor_name: analyst.email }),
      expect.objectContaining({ kind: 'reason', from_value: null, to_value: 'false_positive' }),
      expect.objectContaining({ kind: 'note', note: `Allowlisted by entry ${entryId}: ${reason}` }),
    ]);
    expect((await historyOf(pool, acknowledged!.id)).map((row) => [row.kind, row.from_value])).toEqual([
      ['created', null],
      ['status', 'acknowledged'],
      ['reason', null],
      ['note', null],
    ]);
    expect(await historyOf(pool, closed!.id)).toEqual(closedHistory);

    const historyBefore = await Promise.all([source, acknowledged, closed].map((alert) => historyOf(pool, alert!.id)));
    const rerun = await detectBursts(pool, slot);
    expect(rerun).toMatchObject({ created: 0, updated: 0 });
    expect(rerun.rules[0]!.allowlisted).toBe(15);
    expect((await alertsOf(pool, user)).map((alert) => alert.status)).toEqual(['closed', 'closed', 'closed']);
    expect(await Promise.all([source, acknowledged, closed].map((alert) => historyOf(pool, alert!.id)))).toEqual(
      historyBefore,
    );
    const listed = await listedEntry(entryId);
    // Hits are events skipped; the alerts it closed stay 2, counted apart.
    expect(listed).toMatchObject({
      hitCount: 15,
      alertsClosed: 2,
      sourceAlertId: source!.id,
      authorName: analyst.email,
    });
    expect(listed!.lastHitAt).toBe(new Date(at(40).getTime() + 40_000).toISOString());
  });

  it('closes the source alert even when the entry explains only part of it', async () => {
    const user = uniqueUser('partial');
    const alert = await raiseBurstAlert(pool, nextSlot(), { user, names: ['p1', 'p2', 'p3', 'p4', 'p5'] });
    const response = await create({
      ruleId: BURST_RULE,
      conditions: [usernameIs(user), { field: 'name', op: 'exact', value: 'p1' }],
      reason: 'p1 is read by the deploy job',
      sourceAlertId: alert.id,
    });
    expect(response.status).toBe(201);
    expect((await response.json()).closedAlerts).toBe(1);
    expect(await alertsOf(pool, user)).toEqual([
      { id: alert.id, status: 'closed', close_reason: 'false_positive', event_count: 5 },
    ]);
  });

  it('saves a disabled entry without closing anything, and the engine ignores it', async () => {
    const slot = nextSlot();
    const user = uniqueUser('disabled');
    const alert = await raiseBurstAlert(pool, slot, { user, names: ['d1', 'd2', 'd3', 'd4', 'd5'] });
    const response = await create({
      ruleId: BURST_RULE,
      conditions: [usernameIs(user)],
      reason: 'later',
      enabled: false,
    });
    expect(response.status).toBe(201);
    const created = await response.json();
    expect(created).toMatchObject({ closedAlerts: 0, entry: { enabled: false, sourceAlertId: null } });
    expect((await alertsOf(pool, user))[0]).toMatchObject({ id: alert.id, status: 'open' });
    await detectBursts(pool, slot);
    expect((await listedEntry(created.entry.id))!.hitCount).toBe(0);
  });

  it('lets a triage token save an entry under its own name', async () => {
    const name = `allowlist-bot-${randomUUID().slice(0, 8)}`;
    const response = await create(
      { ruleId: null, conditions: [usernameIs(uniqueUser('token'))], reason: 'from automation' },
      bearer(await createTestToken(['triage'], name)),
    );
    expect(response.status).toBe(201);
    expect((await response.json()).entry).toMatchObject({ ruleId: null, ruleName: null, authorName: `token:${name}` });
  });

  const valid = () => ({ ruleId: BURST_RULE, conditions: [usernameIs(uniqueUser('invalid'))], reason: '' });
  it.each([
    ['a CIDR with too many bits', { conditions: [{ field: 'sourceIp', op: 'cidr', value: '10.0.0.0/33' }] }, /CIDR/],
    ['an address that is not one', { conditions: [{ field: 'sourceIp', op: 'cidr', value: '10.0.0.300' }] }, /CIDR/],
    [
      'an IPv6 zone, which PostgreSQL cannot read',
      { conditions: [{ field: 'sourceIps', op: 'cidr', value: 'fe80::1%eth0' }] },
      /CIDR/,
    ],
    [
      'cidr on a field that is no IP',
      { conditions: [{ field: 'username', op: 'cidr', value: '10.0.0.0/8' }] },
      /cidr only applies/,
    ],
    ['a glob of only wildcards', { conditions: [{ field: 'name', op: 'glob', value: '*?*' }] }, /match everything/],
    ['an unknown field', { conditions: [{ field: 'password', op: 'exact', value: 'x' }] }, /^conditions\[0\]\.field/],
    ['an unknown operator', { conditions: [{ field: 'name', op: 'contains', value: 'x' }] }, /^conditions\[0\]\.op/],
    ['empty conditions', { conditions: [] }, /give at least one condition/],
    ['a missing reason', { reason: undefined }, /^reason/],
    ['a blank reason', { reason: '   ' }, /give a reason/],
    ['an unknown rule', { ruleId: 'no-such-rule' }, /no rule "no-such-rule"/],
    ['an expiry in the past', { expiresAt: '2020-01-01T00:00:00Z' }, /expiresAt: must be in the future/],
    ['an unknown source alert', { sourceAlertId: randomUUID() }, /sourceAlertId: no such alert/],
    ['an unknown property', { note: 'x' }, /note/],
  ])('refuses %s with a 400 and stores nothing', async (_name, override, message) => {
    const reason = `invalid ${randomUUID()}`;
    const body = { ...valid(), reason, ...override };
    const response = await create(body);
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(message);
    expect(await storedEntries(reason)).toEqual([]);
  });

  it('refuses viewers, read-only tokens and cross-site cookies', async () => {
    const reason = `refused ${randomUUID()}`;
    const body = { ruleId: BURST_RULE, conditions: [usernameIs(uniqueUser('refused'))], reason };
    expect((await create(body, viewer.headers)).status).toBe(403);
    expect((await create(body, bearer(await createTestToken(['read'])))).status).toBe(403);
    expect((await create(body, { ...analyst.headers, origin: 'https://evil.example' })).status).toBe(403);
    expect((await create(body, {})).status).toBe(401);
    expect(await storedEntries(reason)).toEqual([]);
  });
});

describe('GET, PATCH and DELETE /api/v1/allowlist/:id', () => {
  async function createEntry() {
    const user = uniqueUser('edit');
    const alert = await raiseBurstAlert(pool, nextSlot(), { user, names: ['e1', 'e2', 'e3', 'e4', 'e5'] });
    const reason = `edit me ${randomUUID()}`;
    const response = await create({
      ruleId: BURST_RULE,
      conditions: [usernameIs(user)],
      reason,
      sourceAlertId: alert.id,
    });
    expect(response.status).toBe(201);
    return { entry: (await response.json()).entry as Entry, alert, user };
  }

  it('lists entries with their rule name, author, source alert and hits, for a read token too', async () => {
    const { entry, alert } = await createEntry();
    const listed = await listedEntry(entry.id, bearer(await createTestToken(['read'])));
    expect(listed).toMatchObject({
      id: entry.id,
      ruleId: BURST_RULE,
      ruleName: BURST_RULE_NAME,
      authorName: analyst.email,
      sourceAlertId: alert.id,
      hitCount: 0,
      lastHitAt: null,
      enabled: true,
      expired: false,
    });
    expect((await list({})).status).toBe(401);
    expect((await list(viewer.headers)).status).toBe(200);
  });

  it('disables, re-reasons and sets and clears an expiry', async () => {
    const { entry } = await createEntry();
    const disabled = await patch(entry.id, { enabled: false });
    expect(disabled.status).toBe(200);
    expect(await disabled.json()).toMatchObject({ id: entry.id, enabled: false, reason: entry.reason });
    const expiresAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const edited = await patch(entry.id, { reason: 'Rotated monthly by the platform team', expiresAt });
    expect(await edited.json()).toMatchObject({
      enabled: false,
      reason: 'Rotated monthly by the platform team',
      expiresAt,
      expired: false,
    });
    const row = await pool.query(`SELECT enabled, reason, expires_at FROM allowlist_entries WHERE id = $1`, [entry.id]);
    expect(row.rows[0]).toEqual({
      enabled: false,
      reason: 'Rotated monthly by the platform team',
      expires_at: new Date(expiresAt),
    });
    const cleared = await patch(entry.id, { expiresAt: null, enabled: true });
    expect(await cleared.json()).toMatchObject({ enabled: true, expiresAt: null });
  });

  it('refuses an empty or invalid change and an unknown rule, changing nothing', async () => {
    const { entry } = await createEntry();
    expect((await patch(entry.id, {})).status).toBe(400);
    expect((await patch(entry.id, { ruleId: 'no-such-rule' })).status).toBe(400);
    expect((await patch(entry.id, { conditions: [{ field: 'name', op: 'glob', value: '*' }] })).status).toBe(400);
    expect((await patch(entry.id, { reason: ' ' })).status).toBe(400);
    expect(await listedEntry(entry.id)).toMatchObject({ ruleId: BURST_RULE, reason: entry.reason, enabled: true });
  });

  it('deletes an entry: 204, then gone, and a second delete is a 404; the alerts it closed stay closed', async () => {
    const { entry, user } = await createEntry();
    const response = await remove(entry.id);
    expect(response.status).toBe(204);
    expect(await listedEntry(entry.id)).toBeUndefined();
    expect(await storedEntries(entry.reason)).toEqual([]);
    expect((await remove(entry.id)).status).toBe(404);
    expect((await patch(entry.id, { enabled: false })).status).toBe(404);
    expect((await alertsOf(pool, user)).map((alert) => alert.close_reason)).toEqual(['false_positive']);
  });

  it('answers 404 for an unknown entry or an id that is not a uuid', async () => {
    for (const id of [randomUUID(), 'not-a-uuid']) {
      expect((await patch(id, { enabled: false })).status, id).toBe(404);
      expect((await remove(id)).status, id).toBe(404);
    }
  });

  it('refuses viewers and read tokens for PATCH and DELETE, changing nothing', async () => {
    const { entry } = await createEntry();
    const readToken = bearer(await createTestToken(['read']));
    for (const headers of [viewer.headers, readToken]) {
      expect((await patch(entry.id, { enabled: false }, headers)).status).toBe(403);
      expect((await remove(entry.id, headers)).status).toBe(403);
    }
    expect(
      (await patch(entry.id, { enabled: false }, { ...analyst.headers, origin: 'https://evil.example' })).status,
    ).toBe(403);
    expect(await storedEntries(entry.reason)).toEqual([expect.objectContaining({ id: entry.id, enabled: true })]);
  });
});
