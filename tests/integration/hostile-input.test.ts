// Attacker-controlled values in parameters, filters and bodies: refused or stored as plain data,
// never interpreted. Limits on sizes and nesting hold without losing the good records around them.
import { afterAll, describe, expect, it } from 'vitest';
import { POST as preview } from '../../app/api/v1/rules/[id]/preview/route';
import { PATCH as patchRule } from '../../app/api/v1/rules/[id]/route';
import { GET as getBatch } from '../../app/api/v1/uploads/[batchId]/route';
import { GET as listUploads, POST as postUpload } from '../../app/api/v1/uploads/route';
import { getDb } from '../../lib/db/client';
import { getPool } from '../../lib/db/pool';
import { MAX_JSON_DEPTH } from '../../lib/ingest/read-records';
import { nativeEvent, ndjson } from '../support/audit-events';
import { bearer, createTestSession, createTestToken } from '../support/credentials';

// Small limits for this file only (each test file has its own module registry, so its own env).
process.env.VIGIL_MAX_UPLOAD_BYTES = String(64 * 1024);

const token = await createTestToken(['ingest', 'triage']);
const admin = await createTestSession('admin');
afterAll(async () => {
  await getPool().end();
  await getDb().$disconnect();
});

const INJECTIONS = [
  "'; DROP TABLE audit_events; --",
  '" OR "1"="1',
  "1' OR '1'='1' --",
  '$1; DELETE FROM alerts',
  '%00\\x00',
  '../../etc/passwd',
  '*/ SELECT pg_sleep(5) /*',
];

async function tableCounts() {
  const { rows } = await getPool().query(
    `SELECT (SELECT count(*) FROM audit_events)::int AS events, (SELECT count(*) FROM rules)::int AS rules,
            (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM ingest_batches)::int AS batches`,
  );
  return rows[0] as { events: number; rules: number; users: number; batches: number };
}

describe('SQL metacharacters in parameters and filters', () => {
  it('change nothing: each is refused as invalid or matched literally', async () => {
    const before = await tableCounts();
    for (const value of INJECTIONS) {
      const encoded = encodeURIComponent(value);
      const list = await listUploads(
        new Request(`http://vigil.test/api/v1/uploads?limit=${encoded}`, { headers: bearer(token) }),
      );
      expect(list.status, value).toBe(200);
      const batch = await getBatch(new Request('http://vigil.test/', { headers: bearer(token) }), {
        params: Promise.resolve({ batchId: value }),
      });
      expect(batch.status, value).toBe(400);
      const rule = await patchRule(
        new Request(`http://vigil.test/api/v1/rules/${encoded}`, {
          method: 'PATCH',
          body: JSON.stringify({ enabled: false }),
          headers: admin.headers,
        }),
        { params: Promise.resolve({ id: value }) },
      );
      expect(rule.status, value).toBe(404);
      const backtest = await preview(
        new Request('http://vigil.test/', {
          method: 'POST',
          body: JSON.stringify({ from: value, to: value }),
          headers: bearer(token),
        }),
        { params: Promise.resolve({ id: 'rapid-secret-get-multiple-objects' }) },
      );
      expect(backtest.status, value).toBe(400);
      const upload = await postUpload(
        new Request(`http://vigil.test/api/v1/uploads?cluster=${encoded}`, {
          method: 'POST',
          body: ndjson([nativeEvent()]),
          headers: bearer(token),
        }),
      );
      expect(upload.status, value).toBe(400);
    }
    expect(await tableCounts()).toEqual(before);
    expect(await getDb().rule.count({ where: { enabled: false } })).toBe(0);
  });

  it('stores names and fields that look like SQL exactly as sent', async () => {
    const name = INJECTIONS[0]!;
    const event = nativeEvent({
      objectRef: { resource: 'secrets', namespace: 'prod', name, apiVersion: 'v1' },
      userAgent: INJECTIONS[1],
    });
    const response = await postUpload(
      new Request(`http://vigil.test/api/v1/uploads?fileName=${encodeURIComponent(INJECTIONS[2]!)}`, {
        method: 'POST',
        body: ndjson([event]),
        headers: bearer(token),
      }),
    );
    expect(response.status).toBe(200);
    expect((await response.json()).fileName).toBe(INJECTIONS[2]);
    const stored = await getDb().auditEvent.findFirstOrThrow({ where: { auditId: event.auditID } });
    expect(stored.name).toBe(name);
    expect(stored.userAgent).toBe(INJECTIONS[1]);
  });
});

describe('size and shape limits', () => {
  it('refuses an upload whose declared length is over VIGIL_MAX_UPLOAD_BYTES before reading it', async () => {
    const response = await postUpload(
      new Request('http://vigil.test/api/v1/uploads', {
        method: 'POST',
        body: 'x',
        headers: { ...bearer(token), 'content-length': String(10 * 1024 * 1024) },
      }),
    );
    expect(response.status).toBe(413);
  });

  it('stops a streamed upload at the limit, keeps what came before and fails the batch with the reason', async () => {
    const cluster = `limit-${Math.random().toString(36).slice(2, 8)}`;
    const events = Array.from({ length: 200 }, () => nativeEvent());
    const body = ndjson(events);
    expect(body.length).toBeGreaterThan(64 * 1024);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        const bytes = new TextEncoder().encode(body);
        for (let offset = 0; offset < bytes.length; offset += 8 * 1024)
          controller.enqueue(bytes.slice(offset, offset + 8 * 1024));
        controller.close();
      },
    });
    const response = await postUpload(
      new Request(`http://vigil.test/api/v1/uploads?cluster=${cluster}`, {
        method: 'POST',
        body: stream,
        headers: bearer(token),
        duplex: 'half',
      } as RequestInit),
    );
    expect(response.status).toBe(413);
    const summary = await response.json();
    expect(summary.status).toBe('failed');
    expect(summary.error).toMatch(/larger than the 65536-byte limit/);
    // The complete records before the cut are kept; nothing past it is.
    const kept = await getDb().auditEvent.count({ where: { cluster } });
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(events.length);
    expect(kept).toBe(summary.stored);
  });

  it('rejects records nested deeper than the limit and keeps their neighbours', async () => {
    let deep: unknown = 'bottom';
    for (let level = 0; level < MAX_JSON_DEPTH + 5; level++) deep = { next: deep };
    const good = [nativeEvent(), nativeEvent()];
    const response = await postUpload(
      new Request('http://vigil.test/api/v1/uploads', {
        method: 'POST',
        body: ndjson([good[0], { ...nativeEvent(), requestObject: deep }, good[1]]),
        headers: bearer(token),
      }),
    );
    expect(response.status).toBe(200);
    const summary = await response.json();
    expect(summary).toMatchObject({ stored: 2, rejected: 1 });
    expect(summary.errors).toEqual([{ line: 2, reason: `JSON nested deeper than ${MAX_JSON_DEPTH} levels` }]);
  });

  it('caps list sizes whatever the client asks for', async () => {
    const response = await listUploads(
      new Request('http://vigil.test/api/v1/uploads?limit=1000000', { headers: bearer(token) }),
    );
    expect((await response.json()).batches.length).toBeLessThanOrEqual(200);
  });
});

describe('NUL (%00) in text filters, path segments and bodies', () => {
  it('answers 400 with a message for every filter of the explorer, the queue, the exports and the entity pages', async () => {
    const { GET: listEvents } = await import('../../app/api/v1/events/route');
    const { GET: exportEvents } = await import('../../app/api/v1/events/export/route');
    const { GET: listAlerts } = await import('../../app/api/v1/alerts/route');
    const { GET: exportAlerts } = await import('../../app/api/v1/alerts/export/route');
    const { GET: getUser } = await import('../../app/api/v1/entities/users/[name]/route');
    const { GET: getIp } = await import('../../app/api/v1/entities/ips/[ip]/route');
    const { GET: getPod } = await import('../../app/api/v1/entities/pods/[namespace]/[name]/route');
    const { auditFilterFields, fileFilterFields } = await import('../../lib/events/schemas');
    const reader = await createTestToken(['read']);
    const get = (handler: (request: Request, context?: never) => Promise<Response>, url: string) =>
      handler(new Request(`http://vigil.test${url}`, { headers: bearer(reader) }));
    const cases: [string, Promise<Response>][] = [];
    for (const field of Object.keys(auditFilterFields)) {
      cases.push([`events ${field}`, get(listEvents, `/api/v1/events?${field}=a%00b`)]);
      cases.push([`events export ${field}`, get(exportEvents, `/api/v1/events/export?format=csv&${field}=a%00b`)]);
    }
    for (const field of Object.keys(fileFilterFields)) {
      cases.push([`file events ${field}`, get(listEvents, `/api/v1/events?kind=file&${field}=a%00b`)]);
    }
    for (const field of ['user', 'sourceIp', 'pod', 'namespace', 'q', 'rule']) {
      cases.push([`alerts ${field}`, get(listAlerts, `/api/v1/alerts?${field}=a%00b`)]);
      cases.push([`alerts export ${field}`, get(exportAlerts, `/api/v1/alerts/export?format=ndjson&${field}=a%00b`)]);
    }
    const entity = (handler: typeof getUser, params: Record<string, string>) =>
      handler(new Request('http://vigil.test/api/v1/entities/x', { headers: bearer(reader) }), {
        params: Promise.resolve(params),
      } as never);
    cases.push(['user page', entity(getUser, { name: 'a\u0000b' })]);
    cases.push(['ip page', entity(getIp as typeof getUser, { ip: '10.0.0.1\u0000' })]);
    cases.push(['pod page', entity(getPod as typeof getUser, { namespace: 'default', name: 'a\u0000b' })]);
    expect(cases.length).toBeGreaterThanOrEqual(41);
    for (const [name, answer] of cases) {
      const response = await answer;
      expect(response.status, name).toBe(400);
      expect((await response.json()).error, name).toMatch(/NUL character \(%00\)/);
    }
  });

  it('answers 400 for NUL in a JSON body instead of failing in the database', async () => {
    const response = await patchRule(
      new Request('http://vigil.test/api/v1/rules/rapid-secret-get-multiple-objects', {
        method: 'PATCH',
        body: JSON.stringify({ parameters: { 'window\u0000Minutes': 6 } }),
        headers: admin.headers,
      }),
      { params: Promise.resolve({ id: 'rapid-secret-get-multiple-objects' }) },
    );
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/NUL character/);
  });
});
