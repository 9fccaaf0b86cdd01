import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { POST as preview } from '../../app/api/v1/rules/[id]/preview/route';
import { GET as getRule, PATCH as patchRule } from '../../app/api/v1/rules/[id]/route';
import { GET as listRules } from '../../app/api/v1/rules/route';
import { getDb } from '../../lib/db/client';
import { getPool } from '../../lib/db/pool';
import { ingestStream } from '../../lib/ingest/ingest-stream';
import { seedDatabase } from '../../lib/seed/seed-database';
import { bytesOf, nativeEvent, ndjson } from '../support/audit-events';
import { bearer, createTestSession, createTestToken } from '../support/credentials';

const RULE = 'rapid-secret-get-multiple-objects';
await seedDatabase(getDb(), { demo: false });
afterAll(async () => {
  await getPool().end();
});

type Handler = (request: Request, context: { params: Promise<{ id: string }> }) => Promise<Response>;
const admin = await createTestSession('admin');
const call = (handler: Handler, id: string, method: string, body: unknown, headers = admin.headers) =>
  handler(new Request(`http://vigil.test/api/v1/rules/${id}`, { method, body: JSON.stringify(body), headers }), {
    params: Promise.resolve({ id }),
  });

describe('GET /api/v1/rules and /api/v1/rules/:id', () => {
  it('lists every rule with its settings, alert counts and last run, for a read token', async () => {
    const token = await createTestToken(['read']);
    const response = await listRules(new Request('http://vigil.test/api/v1/rules', { headers: bearer(token) }));
    expect(response.status).toBe(200);
    const { rules } = await response.json();
    expect(rules.map((rule: { id: string }) => rule.id)).toEqual([
      'secret-read-by-node-or-pod-sa',
      'rapid-secret-get-multiple-objects',
      'secret-enumeration-by-user',
      'sa-token-access-then-api-request',
    ]);
    expect(rules[1]).toMatchObject({
      name: 'Rapid secret GETs against multiple objects',
      severity: 'high',
      riskScore: 73,
      enabled: expect.any(Boolean),
      parameters: { windowMinutes: 6, minDistinctSecrets: expect.any(Number) },
      defaultParameters: { windowMinutes: 6, minDistinctSecrets: 3 },
      upstream: { source: 'Elastic detection-rules' },
      alerts: { open: expect.any(Number), total: expect.any(Number) },
      runs: expect.any(Number),
    });
    expect(rules[1]).toHaveProperty('lastRun');
  });

  it('reads one rule with its guide and changes, and answers 404 for an unknown one and 401 without credentials', async () => {
    const token = await createTestToken(['read']);
    const get = (id: string, headers: Record<string, string> = bearer(token)) =>
      getRule(new Request(`http://vigil.test/api/v1/rules/${id}`, { headers }), { params: Promise.resolve({ id }) });
    const response = await get(RULE);
    expect(response.status).toBe(200);
    const rule = await response.json();
    expect(rule).toMatchObject({ id: RULE, guide: expect.stringContaining('#'), changes: expect.any(Array) });
    expect((await get('no-such-rule')).status).toBe(404);
    expect((await get(RULE, {})).status).toBe(401);
  });
});

describe('PATCH /api/v1/rules/:id', () => {
  it('tunes a parameter and switches the rule, recording which signed-in admin changed what from what to what', async () => {
    const response = await call(patchRule, RULE, 'PATCH', { parameters: { minDistinctSecrets: 4 }, enabled: false });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      enabled: false,
      parameters: { minDistinctSecrets: 4, windowMinutes: 6 },
      changes: 2,
    });
    const changes = await getDb().ruleChange.findMany({ where: { ruleId: RULE }, orderBy: { id: 'desc' }, take: 2 });
    expect(changes.map((change) => [change.field, change.fromValue, change.toValue, change.actorName]).sort()).toEqual([
      ['enabled', true, false, admin.email],
      ['parameters.minDistinctSecrets', 3, 4, admin.email],
    ]);
    expect(changes.every((change) => change.actorId === admin.userId)).toBe(true);
    const back = await call(patchRule, RULE, 'PATCH', { parameters: { minDistinctSecrets: 3 }, enabled: true });
    expect((await back.json()).changes).toBe(2);
    const unchanged = await call(patchRule, RULE, 'PATCH', { enabled: true });
    expect((await unchanged.json()).changes).toBe(0);
  });

  it('tunes a rule stored before a parameter was added: the new one reads as its default and no change is invented', async () => {
    await getPool().query(`UPDATE rules SET parameters = parameters - 'personsAcrossClusters' WHERE id = $1`, [RULE]);
    const response = await call(patchRule, RULE, 'PATCH', { parameters: { windowMinutes: 7 } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      parameters: { windowMinutes: 7, minDistinctSecrets: 3, personsAcrossClusters: 1 },
      changes: 1,
    });
    expect((await (await call(patchRule, RULE, 'PATCH', { parameters: { windowMinutes: 6 } })).json()).changes).toBe(1);
  });

  it('refuses parameters the rule does not accept, unknown rules and unknown fields', async () => {
    const tooSmall = await call(patchRule, RULE, 'PATCH', { parameters: { minDistinctSecrets: 0 } });
    expect(tooSmall.status).toBe(400);
    expect((await tooSmall.json()).error).toMatch(/^minDistinctSecrets:/);
    expect((await call(patchRule, 'no-such-rule', 'PATCH', { enabled: false })).status).toBe(404);
    const unknownField = await call(patchRule, RULE, 'PATCH', { severity: 'low' });
    expect(unknownField.status).toBe(400);
  });

  it('leaves tuning to admins: an analyst is refused and nothing changes', async () => {
    const analyst = await createTestSession('analyst');
    const before = await getDb().rule.findUniqueOrThrow({ where: { id: RULE } });
    const response = await call(patchRule, RULE, 'PATCH', { enabled: !before.enabled }, analyst.headers);
    expect(response.status).toBe(403);
    expect((await response.json()).error).toMatch(/role \(analyst\).*admin/);
    expect((await getDb().rule.findUniqueOrThrow({ where: { id: RULE } })).enabled).toBe(before.enabled);
  });

  it('refuses a body larger than the JSON limit without reading all of it', async () => {
    const response = await call(patchRule, RULE, 'PATCH', { enabled: true, padding: 'x'.repeat(300 * 1024) });
    expect(response.status).toBe(413);
  });
});

describe('POST /api/v1/rules/:id/preview', () => {
  it('shows what the rule would raise over a range, and writes nothing', async () => {
    const user = `preview-${randomUUID()}@example.com`;
    const start = Date.parse('2026-10-01T08:00:00Z');
    const burst = ['a', 'b', 'c'].map((name, index) =>
      nativeEvent({
        user: { username: user, groups: ['system:authenticated'] },
        sourceIPs: ['203.0.113.7'],
        objectRef: { resource: 'secrets', namespace: 'prod', name: `${name}-creds`, apiVersion: 'v1' },
        requestReceivedTimestamp: new Date(start + index * 10_000).toISOString(),
      }),
    );
    await ingestStream(
      bytesOf(ndjson(burst)),
      { source: 'cli', format: 'k8s-audit', cluster: 'preview' },
      { pool: getPool() },
    );
    const response = await call(preview, RULE, 'POST', { from: '2026-10-01T07:00:00Z', to: '2026-10-01T09:00:00Z' });
    expect(response.status).toBe(200);
    const body = await response.json();
    const mine = body.alerts.filter((alert: { username: string }) => alert.username === user);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ sourceIp: '203.0.113.7', secretNames: ['a-creds', 'b-creds', 'c-creds'] });
    expect(await getDb().alert.count({ where: { username: user } })).toBe(0);
  });

  it('validates the range', async () => {
    const reversed = await call(preview, RULE, 'POST', { from: '2026-10-02T00:00:00Z', to: '2026-10-01T00:00:00Z' });
    expect(reversed.status).toBe(400);
    expect((await reversed.json()).error).toBe('from: must be before the end of the range (to)');
    expect((await call(preview, RULE, 'POST', { from: 'yesterday', to: 'today' })).status).toBe(400);
  });
});
