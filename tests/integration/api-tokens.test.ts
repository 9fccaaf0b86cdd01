import { afterAll, describe, expect, it } from 'vitest';
import { POST as postWebhookWithPath } from '../../app/api/v1/audit-webhook/[cluster]/route';
import { GET as listUploads, POST as postUpload } from '../../app/api/v1/uploads/route';
import { createApiToken, hashApiToken, revokeApiToken, verifyApiToken } from '../../lib/auth/api-tokens';
import { getDb } from '../../lib/db/client';
import { getPool } from '../../lib/db/pool';
import { nativeEvent, ndjson } from '../support/audit-events';
import { bearer, createTestSession, createTestToken } from '../support/credentials';

afterAll(async () => {
  await getPool().end();
  await getDb().$disconnect();
});

const uniqueCluster = () => `tok-${Math.random().toString(36).slice(2, 10)}`;

function sendToWebhook(cluster: string, headers: Record<string, string>) {
  const body = JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [nativeEvent()] });
  return postWebhookWithPath(
    new Request(`http://vigil.test/api/v1/audit-webhook/${cluster}`, { method: 'POST', body, headers }),
    { params: Promise.resolve({ cluster }) },
  );
}

const storedIn = async (cluster: string) => getDb().auditEvent.count({ where: { cluster } });

describe('API tokens', () => {
  it('are shown once and stored only as a hash, with a recognisable prefix', async () => {
    const { token, summary } = await createApiToken(getDb(), { name: 'hash check', scopes: ['read'] }, null);
    expect(token).toMatch(/^vigil_[\w-]{43}$/);
    const row = await getDb().apiToken.findUniqueOrThrow({ where: { id: summary.id } });
    expect(row.tokenHash).toBe(hashApiToken(token));
    expect(JSON.stringify(row)).not.toContain(token.slice(6));
    expect(token.startsWith(row.prefix)).toBe(true);
  });

  it('record when they were last used', async () => {
    const token = await createTestToken(['read']);
    const response = await listUploads(new Request('http://vigil.test/api/v1/uploads', { headers: bearer(token) }));
    expect(response.status).toBe(200);
    const row = await getDb().apiToken.findUniqueOrThrow({ where: { tokenHash: hashApiToken(token) } });
    expect(row.lastUsedAt?.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('stop working once revoked, and when expired', async () => {
    const { token, summary } = await createApiToken(getDb(), { name: 'to revoke', scopes: ['ingest'] }, null);
    const cluster = uniqueCluster();
    expect((await sendToWebhook(cluster, bearer(token))).status).toBe(200);
    expect(await revokeApiToken(getDb(), summary.id)).toBe(true);
    expect(await revokeApiToken(getDb(), summary.id)).toBe(false);
    const refused = await sendToWebhook(cluster, bearer(token));
    expect(refused.status).toBe(401);
    expect((await refused.json()).error).toMatch(/unknown, revoked or expired/);
    expect(await storedIn(cluster)).toBe(1);

    const created = new Date(Date.now() - 3 * 86_400_000);
    const expiring = await createApiToken(
      getDb(),
      { name: 'short', scopes: ['read'], expiresInDays: 1 },
      null,
      created,
    );
    expect(await verifyApiToken(getDb(), expiring.token)).toBeNull();
  });

  it('are refused when made up, malformed or sent with the wrong scheme', async () => {
    for (const authorization of ['Bearer vigil_notarealtoken', 'Bearer ', 'Basic dXNlcjpwYXNz', 'Bearer a b']) {
      const response = await listUploads(
        new Request('http://vigil.test/api/v1/uploads', { headers: { authorization } }),
      );
      expect(response.status, authorization).toBe(401);
    }
  });

  it('cannot do what their scopes do not allow', async () => {
    const readOnly = await createTestToken(['read']);
    const response = await postUpload(
      new Request(`http://vigil.test/api/v1/uploads?cluster=${uniqueCluster()}`, {
        method: 'POST',
        body: ndjson([nativeEvent()]),
        headers: bearer(readOnly),
      }),
    );
    expect(response.status).toBe(403);
    expect((await response.json()).error).toMatch(/needs the ingest scope/);
  });
});

describe('the audit webhook', () => {
  it('accepts an ingest-only token and records the batch as the token creator’s', async () => {
    const admin = await createTestSession('admin');
    const { token } = await createApiToken(getDb(), { name: 'webhook', scopes: ['ingest'] }, admin.userId);
    const cluster = uniqueCluster();
    const response = await sendToWebhook(cluster, bearer(token));
    expect(response.status).toBe(200);
    const { batchId } = await response.json();
    expect((await getDb().ingestBatch.findUniqueOrThrow({ where: { id: batchId } })).createdById).toBe(admin.userId);
  });

  it('refuses tokens with other scopes (even alongside ingest), session cookies and no credentials', async () => {
    const cluster = uniqueCluster();
    for (const scopes of [['read'], ['triage'], ['ingest', 'read']] as const) {
      const response = await sendToWebhook(cluster, bearer(await createTestToken([...scopes])));
      expect(response.status, scopes.join('+')).toBe(403);
      expect((await response.json()).error).toMatch(/exactly the scope\(s\) ingest/);
    }
    const admin = await createTestSession('admin');
    expect((await sendToWebhook(cluster, admin.headers)).status).toBe(401);
    expect((await sendToWebhook(cluster, {})).status).toBe(401);
    expect(await storedIn(cluster)).toBe(0);
  });
});
