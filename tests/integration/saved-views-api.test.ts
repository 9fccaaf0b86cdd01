// The saved-views REST API against a real database: saving the queue's params (validated and kept in
// the queue's URL form), live counts that equal the queue's own, who sees and changes which view
// (viewers read shared views and their own), and the errors bad input gets.
import { afterAll, describe, expect, it } from 'vitest';
import { GET as listRoute, POST as createRoute } from '../../app/api/v1/views/route';
import { DELETE as deleteRoute, PATCH as patchRoute } from '../../app/api/v1/views/[id]/route';
import { listAlerts } from '../../lib/alerts/list-alerts';
import { parseAlertSearchParams } from '../../lib/alerts/schemas';
import { getPool } from '../../lib/db/pool';
import { insertAlert, jsonRequest, seedRules, uniqueUser } from '../support/alert-factory';
import { bearer, createTestSession, createTestToken } from '../support/credentials';

await seedRules();
const pool = getPool();
afterAll(async () => {
  await pool.end();
});

const BASE = 'http://vigil.test/api/v1/views';
const analyst = await createTestSession('analyst');
const otherAnalyst = await createTestSession('analyst');
const viewer = await createTestSession('viewer');
const admin = await createTestSession('admin');

type Headers = Record<string, string>;
type View = {
  id: string;
  name: string;
  shared: boolean;
  params: string;
  href: string;
  owner: { id: string; email: string };
  mine: boolean;
  canEdit: boolean;
  count: number | null;
};

const list = async (headers: Headers, query = '') => {
  const response = await listRoute(new Request(`${BASE}${query}`, { headers }));
  expect(response.status).toBe(200);
  return ((await response.json()) as { views: View[] }).views;
};
const create = (headers: Headers, body: unknown) => createRoute(jsonRequest(BASE, 'POST', body, headers));
const patch = (headers: Headers, id: string, body: unknown) =>
  patchRoute(jsonRequest(`${BASE}/${id}`, 'PATCH', body, headers), { params: Promise.resolve({ id }) });
const remove = (headers: Headers, id: string) =>
  deleteRoute(new Request(`${BASE}/${id}`, { method: 'DELETE', headers }), { params: Promise.resolve({ id }) });
const errorOf = async (response: Response) => ((await response.json()) as { error: string }).error;

async function createView(headers: Headers, body: unknown): Promise<View> {
  const response = await create(headers, body);
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as View;
}

describe('saved views REST API', () => {
  it('saves the params in the queue URL form and counts what the queue counts, live', async () => {
    const user = uniqueUser('views');
    for (const status of ['open', 'open', 'acknowledged'] as const) await insertAlert(pool, { username: user, status });
    await insertAlert(pool, { username: user, status: 'open', severity: 'low' });
    const params = `?user=${encodeURIComponent(user)}&severity=high&page=3&expand=x&status=open&group=rule`;
    const view = await createView(analyst.headers, { name: '  High, mine  ', params });
    expect(view.name).toBe('High, mine');
    expect(view.shared).toBe(false);
    expect(view.params).toBe(`status=open&severity=high&user=${encodeURIComponent(user)}&group=rule`);
    expect(view.href).toBe(`/alerts?${view.params}`);

    const queue = parseAlertSearchParams(new URLSearchParams(view.params));
    expect(queue.success).toBe(true);
    const queueTotal = (await listAlerts(pool, queue.data!)).total;
    expect(queueTotal).toBe(2);
    const listed = (await list(analyst.headers)).find((entry) => entry.id === view.id)!;
    expect(listed.count).toBe(queueTotal);
    expect(listed).toMatchObject({ mine: true, canEdit: true, owner: { email: analyst.email } });

    // A change of status moves the count: it is computed when asked, never stored.
    await insertAlert(pool, { username: user, status: 'open', severity: 'high' });
    expect((await list(analyst.headers)).find((entry) => entry.id === view.id)!.count).toBe(3);
    expect((await list(analyst.headers, '?counts=false')).find((entry) => entry.id === view.id)!.count).toBeNull();
  });

  it('shows a viewer the shared views and their own, never another person’s private one', async () => {
    const shared = await createView(analyst.headers, {
      name: `Team ${Date.now()}`,
      shared: true,
      params: 'status=open',
    });
    const secret = await createView(analyst.headers, { name: `Private ${Date.now()}`, params: 'status=closed' });
    const own = await createView(viewer.headers, { name: 'Mine as viewer', params: 'status=all&sort=riskScore' });
    const seen = await list(viewer.headers);
    const ids = seen.map((view) => view.id);
    expect(ids).toContain(shared.id);
    expect(ids).toContain(own.id);
    expect(ids).not.toContain(secret.id);
    expect(seen.find((view) => view.id === shared.id)).toMatchObject({ mine: false, canEdit: false });
    expect(seen.find((view) => view.id === own.id)).toMatchObject({ mine: true, canEdit: true });
    // Own views first.
    expect(seen[0]!.mine).toBe(true);

    // Someone else's shared view: visible, not theirs to change; a private one does not exist for them.
    expect((await patch(viewer.headers, shared.id, { name: 'Hijacked' })).status).toBe(403);
    expect((await remove(otherAnalyst.headers, shared.id)).status).toBe(403);
    expect((await patch(otherAnalyst.headers, secret.id, { name: 'Peek' })).status).toBe(404);
    expect((await remove(viewer.headers, secret.id)).status).toBe(404);

    // The owner renames and unshares; an admin may change and delete anyone's shared view.
    const renamed = (await (await patch(analyst.headers, shared.id, { name: 'Team triage' })).json()) as View;
    expect(renamed.name).toBe('Team triage');
    const adminSees = await list(admin.headers);
    expect(adminSees.find((view) => view.id === shared.id)).toMatchObject({ mine: false, canEdit: true });
    expect(adminSees.map((view) => view.id)).not.toContain(secret.id);
    const unshared = await patch(admin.headers, shared.id, { shared: false });
    expect(unshared.status).toBe(200);
    expect(((await unshared.json()) as View).shared).toBe(false);
    expect((await list(viewer.headers)).map((view) => view.id)).not.toContain(shared.id);
    // Private again: even an admin no longer sees it; its owner shares it again.
    expect((await patch(admin.headers, shared.id, { shared: true })).status).toBe(404);
    expect((await patch(analyst.headers, shared.id, { shared: true })).status).toBe(200);
    expect((await remove(admin.headers, shared.id)).status).toBe(204);
    expect((await list(analyst.headers)).map((view) => view.id)).not.toContain(shared.id);
    expect((await remove(viewer.headers, own.id)).status).toBe(204);
  });

  it('refuses bad input with a clear message', async () => {
    const name = `Dup ${Date.now()}`;
    const first = await createView(analyst.headers, { name, params: 'status=open' });
    const cases: [unknown, RegExp][] = [
      [{ name: '', params: 'status=open' }, /name: a view needs a name/],
      [{ name: 'x'.repeat(81), params: 'status=open' }, /name: a view's name has at most 80 characters/],
      [{ name: 'Bad status', params: 'status=sleeping' }, /params: not a queue filter: filter.status/],
      [{ name: 'Bad sort', params: 'sort=colour' }, /params: not a queue filter: sort/],
      [
        { name: 'Bad group', params: 'group=planet' },
        /params: group must be one of rule, cluster, user, sourceIp, pod/,
      ],
      [{ name: 'Too long', params: `q=${'a'.repeat(5000)}` }, /params: a view's params have at most 4096 characters/],
      [{ name: 'No params' }, /params: missing/],
      [{ name: 'Extra', params: 'status=open', owner: admin.userId }, /owner/],
    ];
    for (const [body, message] of cases) {
      const response = await create(analyst.headers, body);
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(await errorOf(response)).toMatch(message);
    }
    const duplicate = await create(analyst.headers, { name: ` ${name} `, params: 'status=closed' });
    expect(duplicate.status).toBe(409);
    expect(await errorOf(duplicate)).toBe(`you already have a view named "${name}"`);
    // Another person may use the same name.
    await createView(otherAnalyst.headers, { name, params: 'status=closed' });
    const empty = await patch(analyst.headers, first.id, {});
    expect(empty.status).toBe(400);
    expect(await errorOf(empty)).toMatch(/nothing to change/);
    expect((await patch(analyst.headers, 'not-a-uuid', { name: 'x' })).status).toBe(404);
    expect((await patch(analyst.headers, first.id, { params: 'assignee=bob' })).status).toBe(400);
  });

  it('needs a session or a token, and a token acts for the person who made it', async () => {
    expect((await listRoute(new Request(BASE))).status).toBe(401);
    expect((await create({ origin: 'http://vigil.test' }, { name: 'anon', params: '' })).status).toBe(401);
    const crossSite = await create({ ...analyst.headers, origin: 'https://evil.test' }, { name: 'x', params: '' });
    expect(crossSite.status).toBe(403);
    const token = await createTestToken(['read']);
    const shared = await createView(analyst.headers, { name: `For tokens ${Date.now()}`, shared: true, params: '' });
    expect((await list(bearer(token))).map((view) => view.id)).toContain(shared.id);
    // This token was made by no user (as the CLI makes them): it cannot own a view.
    const refused = await create(bearer(token), { name: 'token view', params: 'status=open' });
    expect(refused.status).toBe(403);
    expect(await errorOf(refused)).toMatch(/made by no user/);
  });
});
