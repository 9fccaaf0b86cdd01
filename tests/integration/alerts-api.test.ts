// The alert-triage REST API against a real database: the queue's filters, the detail with its
// history, single and bulk triage changes (each with its history rows, in one transaction),
// who may do what, and new evidence reopening a closed alert.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as bulkChange } from '../../app/api/v1/alerts/bulk/route';
import { GET as getAlert, PATCH as patchAlert } from '../../app/api/v1/alerts/[id]/route';
import { GET as listAlerts } from '../../app/api/v1/alerts/route';
import { createUser } from '../../lib/auth/users';
import { getDb } from '../../lib/db/client';
import { getPool } from '../../lib/db/pool';
import { TEST_PASSWORD, uniqueEmail } from '../support/accounts';
import {
  alertsOf,
  BURST_RULE,
  detectBursts,
  ENUMERATION_RULE,
  historyOf,
  ingestEvents,
  insertAlert,
  jsonRequest,
  raiseBurstAlert,
  secretGets,
  seedRules,
  timeSlots,
  uniqueUser,
} from '../support/alert-factory';
import { bearer, createTestSession, createTestToken } from '../support/credentials';

await seedRules();
const pool = getPool();
afterAll(async () => {
  await pool.end();
});

const BASE = 'http://vigil.test/api/v1/alerts';
const nextSlot = timeSlots('2031-01-01T00:00:00Z');
const analyst = await createTestSession('analyst');
const viewer = await createTestSession('viewer');

type Headers = Record<string, string>;
type Row = { id: string; status: string; assignee: { id: string; email: string } | null };
type Page = {
  rows: Row[];
  total: number;
  page: number;
  pageSize: number;
  statusCounts: Record<string, number>;
};

const list = (query: string | URLSearchParams, headers: Headers = analyst.headers) =>
  listAlerts(new Request(`${BASE}?${query}`, { headers }));
async function listPage(query: string | URLSearchParams): Promise<Page> {
  const response = await list(query);
  expect(response.status, await response.clone().text()).toBe(200);
  return response.json();
}
const params = (id: string) => ({ params: Promise.resolve({ id }) });
const detail = (id: string, headers: Headers = analyst.headers) =>
  getAlert(new Request(`${BASE}/${id}`, { headers }), params(id));
const patch = (id: string, body: unknown, headers: Headers = analyst.headers) =>
  patchAlert(jsonRequest(`${BASE}/${id}`, 'PATCH', body, headers), params(id));
const bulk = (body: unknown, headers: Headers = analyst.headers) =>
  bulkChange(jsonRequest(`${BASE}/bulk`, 'POST', body, headers));

async function statusOf(id: string) {
  const result = await pool.query<{ status: string; close_reason: string | null; assignee_id: string | null }>(
    `SELECT status, close_reason, assignee_id FROM alerts WHERE id = $1`,
    [id],
  );
  return result.rows[0]!;
}

const newUser = (role: 'analyst' | 'viewer') =>
  createUser(getDb(), {
    email: uniqueEmail(`assignee-${role}`),
    name: `Assignee ${role}`,
    role,
    password: TEST_PASSWORD,
  });

describe('GET /api/v1/alerts', () => {
  const user = uniqueUser('queue');
  const needle = `needle-${randomUUID().slice(0, 8)}`;
  const ids: Record<'a1' | 'a2' | 'a3' | 'a4' | 'a5', string> = { a1: '', a2: '', a3: '', a4: '', a5: '' };
  const at = (day: string, time = '10:00') => new Date(`2031-02-${day}T${time}:00Z`);

  beforeAll(async () => {
    ids.a1 = await insertAlert(pool, {
      username: user,
      severity: 'high',
      riskScore: 73,
      ruleId: BURST_RULE,
      namespaces: ['payments'],
      sourceIp: '198.18.0.1',
      firstEventAt: at('01'),
      lastEventAt: at('01', '10:05'),
      eventCount: 5,
      assigneeId: analyst.userId,
    });
    ids.a2 = await insertAlert(pool, {
      username: user,
      severity: 'critical',
      riskScore: 90,
      ruleId: ENUMERATION_RULE,
      namespaces: ['kube-system'],
      sourceIp: '198.18.0.2',
      sourceIps: ['203.0.113.77', '198.18.0.2'],
      podName: 'web-7f9c',
      firstEventAt: at('02'),
      lastEventAt: at('02', '10:01'),
      eventCount: 20,
    });
    ids.a3 = await insertAlert(pool, {
      username: user,
      status: 'acknowledged',
      severity: 'medium',
      riskScore: 47,
      namespaces: ['payments', 'prod'],
      firstEventAt: at('03'),
      eventCount: 3,
    });
    ids.a4 = await insertAlert(pool, {
      username: user,
      status: 'closed',
      closeReason: 'false_positive',
      severity: 'low',
      riskScore: 10,
      ruleId: ENUMERATION_RULE,
      firstEventAt: at('04'),
      eventCount: 1,
    });
    ids.a5 = await insertAlert(pool, {
      username: user,
      severity: 'low',
      riskScore: 20,
      secretNames: [`${needle}-token`],
      firstEventAt: at('05'),
      eventCount: 8,
    });
  });

  const idsOf = (page: Page) => page.rows.map((row) => row.id);
  const setOf = (page: Page) => new Set(idsOf(page));

  it('shows the open tab by default, with every tab counted under the other filters', async () => {
    const page = await listPage(`user=${encodeURIComponent(user)}`);
    expect(setOf(page)).toEqual(new Set([ids.a1, ids.a2, ids.a5]));
    expect(page).toMatchObject({ total: 3, page: 1, pageSize: 50 });
    expect(page.statusCounts).toEqual({ open: 3, acknowledged: 1, closed: 1, all: 5 });
    expect(page.rows.every((row) => row.status === 'open')).toBe(true);
  });

  it('lists every status with status=all and one tab with its name', async () => {
    const all = await listPage(new URLSearchParams({ user, status: 'all' }));
    expect(setOf(all)).toEqual(new Set(Object.values(ids)));
    expect(all.total).toBe(5);
    const closed = await listPage(new URLSearchParams({ user, status: 'closed' }));
    expect(idsOf(closed)).toEqual([ids.a4]);
    expect(closed.total).toBe(1);
    const acknowledged = await listPage(new URLSearchParams({ user, status: 'acknowledged' }));
    expect(idsOf(acknowledged)).toEqual([ids.a3]);
  });

  it('narrows by a comma list of severities and by repeated rules, counting tabs within the narrowed set', async () => {
    const severe = await listPage(new URLSearchParams({ user, severity: 'high,critical' }));
    expect(setOf(severe)).toEqual(new Set([ids.a1, ids.a2]));
    const enumeration = new URLSearchParams({ user, status: 'all', rule: ENUMERATION_RULE });
    const byRule = await listPage(enumeration);
    expect(setOf(byRule)).toEqual(new Set([ids.a2, ids.a4]));
    expect(byRule.statusCounts).toEqual({ open: 1, acknowledged: 0, closed: 1, all: 2 });
    const both = new URLSearchParams({ user, status: 'all' });
    both.append('rule', ENUMERATION_RULE);
    both.append('rule', BURST_RULE);
    expect((await listPage(both)).total).toBe(5);
  });

  it('narrows by source IP (the unforgeable one or any forwarded one), namespace and pod', async () => {
    expect(idsOf(await listPage(new URLSearchParams({ user, sourceIp: '198.18.0.1' })))).toEqual([ids.a1]);
    expect(idsOf(await listPage(new URLSearchParams({ user, sourceIp: '203.0.113.77' })))).toEqual([ids.a2]);
    expect(idsOf(await listPage(new URLSearchParams({ user, sourceIp: '198.18.0' })))).toEqual([]);
    const prod = await listPage(new URLSearchParams({ user, status: 'all', namespace: 'prod' }));
    expect(idsOf(prod)).toEqual([ids.a3]);
    const payments = await listPage(new URLSearchParams({ user, status: 'all', namespace: 'payments' }));
    expect(setOf(payments)).toEqual(new Set([ids.a1, ids.a3, ids.a4, ids.a5]));
    expect(idsOf(await listPage(new URLSearchParams({ user, pod: 'web-7f9c' })))).toEqual([ids.a2]);
  });

  it('narrows by assignee: unassigned with "none", or one user by id', async () => {
    const unassigned = await listPage(new URLSearchParams({ user, assignee: 'none' }));
    expect(setOf(unassigned)).toEqual(new Set([ids.a2, ids.a5]));
    const mine = await listPage(new URLSearchParams({ user, assignee: analyst.userId }));
    expect(idsOf(mine)).toEqual([ids.a1]);
    expect(mine.rows[0]!.assignee).toMatchObject({ id: analyst.userId, email: analyst.email });
    expect((await listPage(new URLSearchParams({ user, assignee: randomUUID() }))).total).toBe(0);
  });

  it('finds free text case-insensitively in secret names and rule names, with LIKE wildcards taken literally', async () => {
    const bySecret = await listPage(new URLSearchParams({ user, q: needle.toUpperCase() }));
    expect(idsOf(bySecret)).toEqual([ids.a5]);
    const byRuleName = await listPage(new URLSearchParams({ user, status: 'all', q: 'secret ENUMERATION' }));
    expect(setOf(byRuleName)).toEqual(new Set([ids.a2, ids.a4]));
    expect((await listPage(new URLSearchParams({ user, status: 'all', q: '%' }))).total).toBe(0);
    expect((await listPage(new URLSearchParams({ user, status: 'all', q: 'needle_' }))).total).toBe(0);
    // Another user's alert never shows under this user's filter, even when the text matches it.
    expect((await listPage(new URLSearchParams({ q: user, status: 'all' }))).total).toBe(5);
  });

  it('keeps alerts whose events overlap [from, to): last event at from counts, first event at to does not', async () => {
    const range = new URLSearchParams({
      user,
      status: 'all',
      from: at('01', '10:05').toISOString(),
      to: at('04').toISOString(),
    });
    expect(setOf(await listPage(range))).toEqual(new Set([ids.a1, ids.a2, ids.a3]));
    const later = new URLSearchParams({ user, status: 'all', from: at('03', '12:00').toISOString() });
    expect(setOf(await listPage(later))).toEqual(new Set([ids.a4, ids.a5]));
  });

  it('sorts by the chosen column in the chosen direction, newest last event first by default', async () => {
    const byCount = await listPage(new URLSearchParams({ user, status: 'all', sort: 'eventCount', dir: 'asc' }));
    expect(idsOf(byCount)).toEqual([ids.a4, ids.a3, ids.a1, ids.a5, ids.a2]);
    const bySeverity = await listPage(new URLSearchParams({ user, status: 'all', sort: 'severity' }));
    expect(idsOf(bySeverity).slice(0, 3)).toEqual([ids.a2, ids.a1, ids.a3]);
    const byRisk = await listPage(new URLSearchParams({ user, status: 'all', sort: 'riskScore', dir: 'asc' }));
    expect(idsOf(byRisk)).toEqual([ids.a4, ids.a5, ids.a3, ids.a1, ids.a2]);
    const newest = await listPage(new URLSearchParams({ user, status: 'all' }));
    expect(idsOf(newest)).toEqual([ids.a5, ids.a4, ids.a3, ids.a2, ids.a1]);
  });

  it('pages through the queue with the total of the whole filter', async () => {
    const pagedUser = uniqueUser('paging');
    const stored: string[] = [];
    for (let index = 0; index < 27; index++) {
      stored.push(
        await insertAlert(pool, {
          username: pagedUser,
          firstEventAt: new Date(Date.parse('2031-03-01T00:00:00Z') + index * 60_000),
        }),
      );
    }
    const first = await listPage(new URLSearchParams({ user: pagedUser, pageSize: '25' }));
    const second = await listPage(new URLSearchParams({ user: pagedUser, pageSize: '25', page: '2' }));
    expect(first).toMatchObject({ total: 27, page: 1, pageSize: 25 });
    expect(first.rows).toHaveLength(25);
    expect(second).toMatchObject({ total: 27, page: 2, pageSize: 25 });
    expect(second.rows).toHaveLength(2);
    // Newest first: the last two stored are on page one, the first two on page two.
    expect(idsOf(second)).toEqual([stored[1], stored[0]]);
    expect(new Set([...idsOf(first), ...idsOf(second)])).toEqual(new Set(stored));
    const beyond = await listPage(new URLSearchParams({ user: pagedUser, pageSize: '25', page: '3' }));
    expect(beyond).toMatchObject({ rows: [], total: 27 });
  });

  it.each([
    ['pageSize=7', /page size must be 25, 50 or 100/],
    ['sort=bogus', /^sort:/],
    ['dir=sideways', /^dir:/],
    ['status=pending', /^filter\.status:/],
    ['severity=urgent', /^filter\.severity\[0\]:/],
    ['assignee=someone', /^filter\.assignee:/],
    ['from=yesterday', /^filter\.from:/],
    ['page=0', /^page:/],
  ])('answers 400 to the bad parameter %s', async (query, message) => {
    const response = await list(query);
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(message);
  });

  it('asks for credentials and accepts a read-only token or a viewer', async () => {
    const anonymous = await listAlerts(new Request(`${BASE}?user=${encodeURIComponent(user)}`));
    expect(anonymous.status).toBe(401);
    const token = await createTestToken(['read']);
    const withToken = await list(new URLSearchParams({ user }), bearer(token));
    expect(withToken.status).toBe(200);
    expect((await withToken.json()).total).toBe(3);
    expect((await list(new URLSearchParams({ user }), viewer.headers)).status).toBe(200);
    expect((await list(new URLSearchParams({ user }), bearer('vgl_not-a-real-token'))).status).toBe(401);
  });
});

describe('GET /api/v1/alerts/:id', () => {
  it('shows a raised alert with its rule, entities and history', async () => {
    const user = uniqueUser('detail');
    const alert = await raiseBurstAlert(pool, nextSlot(), {
      user,
      names: ['db-password', 'stripe-key', 'tls-cert', 'registry-creds', 'ssh-key'],
      sourceIp: '198.18.1.7',
      userAgent: 'curl/8.5.0',
    });
    const response = await detail(alert.id);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({
      id: alert.id,
      ruleId: BURST_RULE,
      ruleName: 'Rapid secret GETs against multiple objects',
      status: 'open',
      closeReason: null,
      assignee: null,
      username: user,
      sourceIp: '198.18.1.7',
      eventCount: 5,
      namespaces: ['payments'],
      entities: { userAgents: ['curl/8.5.0'] },
    });
    expect([...body.secretNames].sort()).toEqual([
      'db-password',
      'registry-creds',
      'ssh-key',
      'stripe-key',
      'tls-cert',
    ]);
    expect(body.ruleDescription).toMatch(/distinct secrets/);
    expect(body.history).toEqual([
      expect.objectContaining({ kind: 'created', actorName: 'system', to: 'open', note: expect.stringMatching(/5/) }),
    ]);
  });

  it('answers 404 for an unknown uuid and for an id that is not a uuid', async () => {
    for (const id of [randomUUID(), 'not-a-uuid', '1; DROP TABLE alerts']) {
      const response = await detail(id);
      expect(response.status, id).toBe(404);
      expect((await response.json()).error).toBe('no such alert');
    }
  });

  it('asks for credentials and lets a read token look', async () => {
    const id = await insertAlert(pool);
    expect((await getAlert(new Request(`${BASE}/${id}`), params(id))).status).toBe(401);
    const response = await detail(id, bearer(await createTestToken(['read'])));
    expect(response.status).toBe(200);
    expect((await response.json()).history).toEqual([]);
  });
});

describe('PATCH /api/v1/alerts/:id', () => {
  it('acknowledges an open alert and records who changed the status from what to what', async () => {
    const id = await insertAlert(pool);
    const response = await patch(id, { status: 'acknowledged' });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ changed: true, alert: { id, status: 'acknowledged' } });
    expect(body.alert.history).toEqual([
      expect.objectContaining({ kind: 'status', from: 'open', to: 'acknowledged', actorName: analyst.email }),
    ]);
    expect((await statusOf(id)).status).toBe('acknowledged');
    expect(await historyOf(pool, id)).toEqual([
      {
        kind: 'status',
        from_value: 'open',
        to_value: 'acknowledged',
        actor_name: analyst.email,
        actor_id: analyst.userId,
        note: null,
      },
    ]);
  });

  it('closes with a reason, recording the status and the reason', async () => {
    const id = await insertAlert(pool);
    const response = await patch(id, { status: 'closed', closeReason: 'true_positive' });
    expect(response.status).toBe(200);
    expect(await statusOf(id)).toMatchObject({ status: 'closed', close_reason: 'true_positive' });
    const history = await historyOf(pool, id);
    expect(history.map((row) => [row.kind, row.from_value, row.to_value])).toEqual([
      ['status', 'open', 'closed'],
      ['reason', null, 'true_positive'],
    ]);
    expect(history.every((row) => row.actor_id === analyst.userId)).toBe(true);
  });

  it('changes only the reason of a closed alert when just a new closeReason is given', async () => {
    const id = await insertAlert(pool, { status: 'closed', closeReason: 'true_positive' });
    expect((await patch(id, { closeReason: 'duplicate' })).status).toBe(200);
    expect(await statusOf(id)).toMatchObject({ status: 'closed', close_reason: 'duplicate' });
    expect((await historyOf(pool, id)).map((row) => [row.kind, row.from_value, row.to_value])).toEqual([
      ['reason', 'true_positive', 'duplicate'],
    ]);
  });

  it('refuses to close without a reason, or a reason with another status, and changes nothing', async () => {
    const id = await insertAlert(pool);
    const noReason = await patch(id, { status: 'closed' });
    expect(noReason.status).toBe(400);
    expect((await noReason.json()).error).toMatch(/^closeReason: closing an alert needs a closeReason/);
    const mismatched = await patch(id, { status: 'acknowledged', closeReason: 'duplicate' });
    expect(mismatched.status).toBe(400);
    const badReason = await patch(id, { status: 'closed', closeReason: 'boring' });
    expect(badReason.status).toBe(400);
    expect(await statusOf(id)).toMatchObject({ status: 'open', close_reason: null });
    expect(await historyOf(pool, id)).toEqual([]);
  });

  it('refuses an empty change, unknown fields and a body that is not JSON', async () => {
    const id = await insertAlert(pool);
    const empty = await patch(id, {});
    expect(empty.status).toBe(400);
    expect((await empty.json()).error).toMatch(/nothing to change/);
    expect((await patch(id, { status: 'acknowledged', severity: 'low' })).status).toBe(400);
    const notJson = await patchAlert(
      new Request(`${BASE}/${id}`, { method: 'PATCH', body: '{status:', headers: analyst.headers }),
      params(id),
    );
    expect(notJson.status).toBe(400);
    expect(await statusOf(id)).toMatchObject({ status: 'open' });
    expect(await historyOf(pool, id)).toEqual([]);
  });

  it('reopens a closed alert, clearing its close reason', async () => {
    const id = await insertAlert(pool, { status: 'closed', closeReason: 'false_positive' });
    const response = await patch(id, { status: 'open' });
    expect(response.status).toBe(200);
    expect((await response.json()).alert).toMatchObject({ status: 'open', closeReason: null });
    expect(await statusOf(id)).toMatchObject({ status: 'open', close_reason: null });
    expect((await historyOf(pool, id)).map((row) => [row.kind, row.from_value, row.to_value])).toEqual([
      ['status', 'closed', 'open'],
    ]);
  });

  it('assigns to an analyst and unassigns, naming the assignee by email in the history', async () => {
    const assignee = await newUser('analyst');
    const id = await insertAlert(pool);
    const assigned = await patch(id, { assigneeId: assignee.id });
    expect(assigned.status).toBe(200);
    expect((await assigned.json()).alert.assignee).toEqual({
      id: assignee.id,
      email: assignee.email,
      name: assignee.name,
    });
    expect((await statusOf(id)).assignee_id).toBe(assignee.id);
    const unassigned = await patch(id, { assigneeId: null });
    expect(unassigned.status).toBe(200);
    expect((await unassigned.json()).alert.assignee).toBeNull();
    expect((await statusOf(id)).assignee_id).toBeNull();
    expect((await historyOf(pool, id)).map((row) => [row.kind, row.from_value, row.to_value])).toEqual([
      ['assignee', null, assignee.email],
      ['assignee', assignee.email, null],
    ]);
  });

  it('refuses a viewer or an unknown user as assignee and writes nothing, not even a status change sent with it', async () => {
    const viewerAccount = await newUser('viewer');
    const id = await insertAlert(pool);
    const toViewer = await patch(id, { assigneeId: viewerAccount.id });
    expect(toViewer.status).toBe(400);
    expect((await toViewer.json()).error).toMatch(/is a viewer and cannot triage/);
    const toNobody = await patch(id, { assigneeId: randomUUID() });
    expect(toNobody.status).toBe(400);
    expect((await toNobody.json()).error).toBe('assignee: no such user');
    const combined = await patch(id, {
      status: 'closed',
      closeReason: 'true_positive',
      assigneeId: viewerAccount.id,
      note: 'closing and handing over',
    });
    expect(combined.status).toBe(400);
    expect(await statusOf(id)).toEqual({ status: 'open', close_reason: null, assignee_id: null });
    expect(await historyOf(pool, id)).toEqual([]);
  });

  it('adds a note without touching the status', async () => {
    const id = await insertAlert(pool, { status: 'acknowledged' });
    const response = await patch(id, { note: '  Checked with the payments team: their backup job.  ' });
    expect(response.status).toBe(200);
    expect((await response.json()).changed).toBe(true);
    expect((await statusOf(id)).status).toBe('acknowledged');
    expect(await historyOf(pool, id)).toEqual([
      {
        kind: 'note',
        from_value: null,
        to_value: null,
        actor_name: analyst.email,
        actor_id: analyst.userId,
        note: 'Checked with the payments team: their backup job.',
      },
    ]);
  });

  it('writes no history for a change that changes nothing', async () => {
    const id = await insertAlert(pool, { status: 'acknowledged' });
    const same = await patch(id, { status: 'acknowledged' });
    expect(same.status).toBe(200);
    expect((await same.json()).changed).toBe(false);
    const stillUnassigned = await patch(id, { assigneeId: null });
    expect((await stillUnassigned.json()).changed).toBe(false);
    expect(await historyOf(pool, id)).toEqual([]);
  });

  it('answers 404 for an unknown alert or an id that is not a uuid', async () => {
    for (const id of [randomUUID(), 'nope']) {
      const response = await patch(id, { status: 'acknowledged' });
      expect(response.status, id).toBe(404);
    }
  });

  it('refuses viewers, read-only tokens and cookie-borne changes from another site', async () => {
    const id = await insertAlert(pool);
    const asViewer = await patch(id, { status: 'acknowledged' }, viewer.headers);
    expect(asViewer.status).toBe(403);
    expect((await asViewer.json()).error).toMatch(/viewer/);
    const readOnly = await patch(id, { status: 'acknowledged' }, bearer(await createTestToken(['read'])));
    expect(readOnly.status).toBe(403);
    expect((await readOnly.json()).error).toMatch(/triage scope/);
    const crossSite = await patch(
      id,
      { status: 'acknowledged' },
      { ...analyst.headers, origin: 'https://evil.example' },
    );
    expect(crossSite.status).toBe(403);
    expect((await crossSite.json()).error).toMatch(/cross-site/);
    const anonymous = await patch(id, { status: 'acknowledged' }, {});
    expect(anonymous.status).toBe(401);
    expect(await statusOf(id)).toMatchObject({ status: 'open' });
    expect(await historyOf(pool, id)).toEqual([]);
  });

  it('lets a triage token change an alert, naming the token in the history', async () => {
    const name = `triage-bot-${randomUUID().slice(0, 8)}`;
    const token = await createTestToken(['triage'], name);
    const id = await insertAlert(pool);
    const response = await patch(id, { status: 'closed', closeReason: 'benign_positive' }, bearer(token));
    expect(response.status).toBe(200);
    expect(await statusOf(id)).toMatchObject({ status: 'closed', close_reason: 'benign_positive' });
    const history = await historyOf(pool, id);
    expect(history).toHaveLength(2);
    expect(history.every((row) => row.actor_name === `token:${name}` && row.actor_id === null)).toBe(true);
  });
});

describe('POST /api/v1/alerts/bulk', () => {
  it('changes the alerts named by id, reporting the ids that do not exist', async () => {
    const open1 = await insertAlert(pool);
    const open2 = await insertAlert(pool);
    const already = await insertAlert(pool, { status: 'acknowledged' });
    const missing = randomUUID();
    const response = await bulk({ ids: [open1, open2, already, missing], change: { status: 'acknowledged' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ matched: 3, changed: 2, missing: [missing] });
    for (const id of [open1, open2, already]) expect((await statusOf(id)).status).toBe('acknowledged');
    expect(await historyOf(pool, open1)).toHaveLength(1);
    expect(await historyOf(pool, open2)).toHaveLength(1);
    expect(await historyOf(pool, already)).toEqual([]);
  });

  it('closes exactly what a filter selects, with one status row per changed alert and the note on each', async () => {
    const user = uniqueUser('bulk');
    const open = [await insertAlert(pool, { username: user }), await insertAlert(pool, { username: user })];
    open.push(await insertAlert(pool, { username: user, severity: 'critical' }));
    const acknowledged = await insertAlert(pool, { username: user, status: 'acknowledged' });
    const closed = await insertAlert(pool, { username: user, status: 'closed', closeReason: 'duplicate' });
    const bystander = await insertAlert(pool, { username: uniqueUser('bystander') });

    const response = await bulk({
      filter: { user, status: 'open' },
      change: { status: 'closed', closeReason: 'benign_positive', note: 'Quarterly rotation by the platform team' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ matched: 3, changed: 3, missing: [] });
    for (const id of open) {
      expect(await statusOf(id)).toMatchObject({ status: 'closed', close_reason: 'benign_positive' });
      const history = await historyOf(pool, id);
      expect(history.map((row) => [row.kind, row.from_value, row.to_value, row.note])).toEqual([
        ['status', 'open', 'closed', null],
        ['reason', null, 'benign_positive', null],
        ['note', null, null, 'Quarterly rotation by the platform team'],
      ]);
    }
    expect(await statusOf(acknowledged)).toMatchObject({ status: 'acknowledged', close_reason: null });
    expect(await statusOf(closed)).toMatchObject({ status: 'closed', close_reason: 'duplicate' });
    expect(await statusOf(bystander)).toMatchObject({ status: 'open' });
    for (const id of [acknowledged, closed, bystander]) expect(await historyOf(pool, id)).toEqual([]);
    const tabs = await listPage(new URLSearchParams({ user }));
    expect(tabs.statusCounts).toEqual({ open: 0, acknowledged: 1, closed: 4, all: 5 });
  });

  it('assigns everything a filter selects across statuses when the filter names no status', async () => {
    const user = uniqueUser('bulk-assign');
    const ids = [
      await insertAlert(pool, { username: user }),
      await insertAlert(pool, { username: user, status: 'closed', closeReason: 'other' }),
    ];
    const response = await bulk({ filter: { user }, change: { assigneeId: analyst.userId } });
    expect(await response.json()).toEqual({ matched: 2, changed: 2, missing: [] });
    for (const id of ids) expect((await statusOf(id)).assignee_id).toBe(analyst.userId);
  });

  it('refuses a change of more than 25 alerts without confirm (409, naming the count, nothing changed)', async () => {
    const user = uniqueUser('bulk-confirm');
    const ids = [];
    for (let index = 0; index < 26; index++) ids.push(await insertAlert(pool, { username: user }));
    const change = { status: 'acknowledged' };
    for (const target of [{ filter: { user } }, { ids }]) {
      const refused = await bulk({ ...target, change });
      expect(refused.status).toBe(409);
      expect((await refused.json()).error).toMatch(/reaches 26 alerts.*"confirm": true/);
      for (const id of ids) {
        expect(await statusOf(id)).toMatchObject({ status: 'open' });
        expect(await historyOf(pool, id)).toEqual([]);
      }
    }
    // 25 is within the limit; 26 with confirm goes through.
    const small = await bulk({ ids: ids.slice(0, 25), change, confirm: false });
    expect(await small.json()).toEqual({ matched: 25, changed: 25, missing: [] });
    const confirmed = await bulk({
      filter: { user },
      change: { status: 'closed', closeReason: 'other' },
      confirm: true,
    });
    expect(await confirmed.json()).toEqual({ matched: 26, changed: 26, missing: [] });
  });

  it('takes either ids or a filter: both, neither or an invalid one is a 400 and changes nothing', async () => {
    const user = uniqueUser('bulk-bad');
    const id = await insertAlert(pool, { username: user });
    const change = { status: 'acknowledged' };
    const both = await bulk({ ids: [id], filter: { user }, change });
    expect(both.status).toBe(400);
    expect((await both.json()).error).toMatch(/either ids or filter/);
    expect((await bulk({ change })).status).toBe(400);
    expect((await bulk({ ids: [], change })).status).toBe(400);
    expect((await bulk({ ids: ['not-a-uuid'], change })).status).toBe(400);
    expect((await bulk({ filter: { user, colour: 'red' }, change })).status).toBe(400);
    expect((await bulk({ ids: [id] })).status).toBe(400);
    expect((await bulk({ ids: [id], change: { status: 'closed' } })).status).toBe(400);
    expect(await statusOf(id)).toMatchObject({ status: 'open' });
    expect(await historyOf(pool, id)).toEqual([]);
  });

  it('refuses a viewer and rolls back a bulk assignment to a viewer', async () => {
    const user = uniqueUser('bulk-viewer');
    const id = await insertAlert(pool, { username: user });
    const asViewer = await bulk({ filter: { user }, change: { status: 'acknowledged' } }, viewer.headers);
    expect(asViewer.status).toBe(403);
    const viewerAccount = await newUser('viewer');
    const toViewer = await bulk({ ids: [id], change: { status: 'acknowledged', assigneeId: viewerAccount.id } });
    expect(toViewer.status).toBe(400);
    expect(await statusOf(id)).toEqual({ status: 'open', close_reason: null, assignee_id: null });
    expect(await historyOf(pool, id)).toEqual([]);
  });
});

describe('new evidence for a closed alert', () => {
  it('reopens the alert visibly when detection sees more events of the same burst', async () => {
    const slot = nextSlot();
    const user = uniqueUser('reopen');
    const burst = { user, sourceIp: '198.18.2.9', cluster: 'reopen' };
    const alert = await raiseBurstAlert(pool, slot, { ...burst, names: ['s1', 's2', 's3', 's4', 's5'] });
    expect(alert.event_count).toBe(5);
    expect((await patch(alert.id, { status: 'closed', closeReason: 'benign_positive' })).status).toBe(200);

    const late = secretGets({ ...burst, start: new Date(slot.start.getTime() + 60_000), names: ['s6', 's7'] });
    await ingestEvents(pool, late, burst.cluster);
    await detectBursts(pool, slot);

    const after = await alertsOf(pool, user);
    expect(after).toEqual([{ id: alert.id, status: 'open', close_reason: null, event_count: 7 }]);
    const history = await historyOf(pool, alert.id);
    expect(history.at(-1)).toMatchObject({
      kind: 'status',
      from_value: 'closed',
      to_value: 'open',
      actor_name: 'system',
      actor_id: null,
      note: 'reopened: 2 new evidence event(s) arrived',
    });
    const shown = await (await detail(alert.id)).json();
    expect(shown).toMatchObject({ status: 'open', closeReason: null, eventCount: 7 });
  });

  it('leaves a closed alert closed when detection runs again without new evidence', async () => {
    const slot = nextSlot();
    const user = uniqueUser('stay-closed');
    const alert = await raiseBurstAlert(pool, slot, { user, names: ['k1', 'k2', 'k3', 'k4', 'k5'], cluster: 'rerun' });
    await patch(alert.id, { status: 'closed', closeReason: 'true_positive' });
    const before = await historyOf(pool, alert.id);
    await detectBursts(pool, slot);
    expect(await alertsOf(pool, user)).toEqual([
      { id: alert.id, status: 'closed', close_reason: 'true_positive', event_count: 5 },
    ]);
    expect(await historyOf(pool, alert.id)).toEqual(before);
  });
});
