import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { failInterruptedBatches, getBatchSummary } from '../../lib/ingest/batches';
import { AppError } from '../../lib/app-error';
import { ingestStream, isIngestFailure, type IngestFailure, type IngestRequest } from '../../lib/ingest/ingest-stream';
import { createDb } from '../../lib/db/client';
import { decodeOriginals } from '../../lib/events/stored-originals';
import { bothStages, bytesOf, gzip, nativeEvent, ndjson } from '../support/audit-events';

const pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 6 });
const db = createDb(inject('databaseUrl'), 2);
afterAll(async () => {
  await pool.end();
  await db.$disconnect();
});

const request = (overrides: Partial<IngestRequest> = {}): IngestRequest => ({
  source: 'cli',
  format: 'auto',
  cluster: `test-${Math.random().toString(36).slice(2, 10)}`,
  fileName: 'test.ndjson',
  ...overrides,
});

async function storedEvents(cluster: string) {
  const result = await pool.query(
    `SELECT e.*, o.originals FROM audit_events e
       JOIN audit_event_originals o ON o.event_id = e.id AND o.time = e.time AND o.cluster = e.cluster
      WHERE e.cluster = $1 ORDER BY e.time, e.audit_id`,
    [cluster],
  );
  return result.rows.map((row) => ({ ...row, originals: JSON.parse(decodeOriginals(row.originals)) }));
}

async function failureOf(promise: Promise<unknown>): Promise<IngestFailure> {
  try {
    await promise;
  } catch (error) {
    if (isIngestFailure(error)) return error;
    throw error;
  }
  throw new Error('expected the ingest to fail');
}

const requestStages = () => bothStages(nativeEvent());

describe('ingestStream', () => {
  it('stores normalized events with their original document, and reports bad lines without losing the good ones', async () => {
    const first = nativeEvent({ userAgent: '<script>alert("ua")</script>' });
    const last = nativeEvent({
      requestReceivedTimestamp: '2026-11-20T10:05:00.000001Z',
      verb: 'list',
      objectRef: { resource: 'secrets', namespace: 'kube-system' },
    });
    const input = ndjson([
      first,
      '{"kind":"Event", "auditID": "broken',
      nativeEvent({ verb: 5 }),
      `{"kind":"Event","blob":"${'x'.repeat(1024 * 1024)}"}`,
      last,
    ]);
    const req = request();
    const summary = await ingestStream(bytesOf(input), req, { pool });

    expect(summary).toMatchObject({
      status: 'completed',
      format: 'k8s-audit',
      received: 5,
      stored: 2,
      duplicates: 0,
      rejected: 3,
      skipped: 0,
    });
    expect(summary.errors.map((error) => error.line)).toEqual([2, 3, 4]);
    expect(summary.errors[1]?.reason).toMatch(/verb/);
    expect(summary.errors[2]?.reason).toMatch(/longer than/);

    const rows = await storedEvents(req.cluster!);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      audit_id: first.auditID,
      received_at: null,
      completed_at: new Date('2026-11-20T10:00:00.125Z'),
      verb: 'get',
      username: 'system:serviceaccount:payments:payments-api',
      source_ips: ['198.51.100.9', '10.0.3.7'],
      source_ip: '10.0.3.7',
      resource: 'secrets',
      namespace: 'payments',
      name: 'db-credentials',
      response_code: 200,
      decision: 'allow',
      pod_name: 'payments-api-7d9f',
      node_name: 'ip-10-0-3-7',
      user_agent: '<script>alert("ua")</script>',
      source_format: 'k8s-audit',
      batch_id: summary.batchId,
    });
    expect(rows[0].originals).toEqual({ ResponseComplete: first });
    // Microseconds survive: the window logic runs on these times.
    const [{ time }] = (
      await pool.query(
        `SELECT to_char(time AT TIME ZONE 'UTC', 'HH24:MI:SS.US') AS time FROM audit_events WHERE audit_id = $1`,
        [last.auditID],
      )
    ).rows;
    expect(time).toBe('10:05:00.000001');

    const batch = await getBatchSummary(db, summary.batchId);
    expect(batch).toMatchObject({ status: 'completed', stored: 2, rejected: 3, received: 5 });
    expect(batch?.errors).toEqual(summary.errors);
  });

  it('stores nothing twice: re-ingesting reports duplicates, and so does a repeat inside one file', async () => {
    const events = Array.from({ length: 30 }, () => nativeEvent());
    const req = request();
    const first = await ingestStream(bytesOf(ndjson([...events, events[0]])), req, { pool, chunkSize: 7 });
    expect(first).toMatchObject({ received: 31, stored: 30, duplicates: 1 });
    const again = await ingestStream(bytesOf(ndjson(events)), req, { pool, chunkSize: 7 });
    expect(again).toMatchObject({ received: 30, stored: 0, duplicates: 30 });
    expect(await storedEvents(req.cluster!)).toHaveLength(30);
  });

  it('stores each event once when two overlapping files are ingested at the same time', async () => {
    const events = Array.from({ length: 400 }, () => nativeEvent());
    const req = request();
    const [a, b] = await Promise.all([
      ingestStream(bytesOf(ndjson(events.slice(0, 300)), 1000), req, { pool, chunkSize: 50 }),
      ingestStream(bytesOf(ndjson(events.slice(100)), 1000), req, { pool, chunkSize: 50 }),
    ]);
    expect(a.stored + b.stored).toBe(400);
    expect(a.duplicates + b.duplicates).toBe(200);
    expect(await storedEvents(req.cluster!)).toHaveLength(400);
  });

  it('reads gzip and EventList documents, and stores both stages of one request as one row', async () => {
    const [received, complete] = requestStages();
    const document = JSON.stringify(
      { kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [received, complete] },
      null,
      2,
    );
    const req = request();
    const summary = await ingestStream(bytesOf(gzip(document)), req, { pool });
    expect(summary).toMatchObject({ stored: 2, requests: 1, rejected: 0 });
    const rows = await storedEvents(req.cluster!);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ response_code: 200, decision: 'allow' });
    expect(rows[0].received_at).not.toBeNull();
    expect(rows[0].completed_at).not.toBeNull();
    expect(rows[0].originals).toEqual({ RequestReceived: received, ResponseComplete: complete });
  });

  it('completes a request whatever order and batch its stages arrive in, and stores either stage again as nothing new', async () => {
    const requests = Array.from({ length: 40 }, () => requestStages());
    const receivedFirst = request();
    const completeFirst = { ...request(), cluster: receivedFirst.cluster };
    // Half the requests arrive RequestReceived first, the other half ResponseComplete first, in separate batches.
    const early = requests.map(([received, complete], index) => (index % 2 ? received : complete));
    const late = requests.map(([received, complete], index) => (index % 2 ? complete : received));
    const one = await ingestStream(bytesOf(ndjson(early)), receivedFirst, { pool, chunkSize: 7 });
    const two = await ingestStream(bytesOf(ndjson(late)), completeFirst, { pool, chunkSize: 9 });
    expect(one).toMatchObject({ stored: 40, requests: 40, duplicates: 0 });
    expect(two).toMatchObject({ stored: 40, requests: 0, duplicates: 0 });
    const rows = await storedEvents(receivedFirst.cluster!);
    expect(rows).toHaveLength(40);
    for (const row of rows) {
      expect(row.received_at).not.toBeNull();
      expect(row.completed_at).not.toBeNull();
      expect(row).toMatchObject({ response_code: 200, decision: 'allow', name: 'db-credentials' });
      expect(Object.keys(row.originals).sort()).toEqual(['RequestReceived', 'ResponseComplete']);
    }
    const again = await ingestStream(bytesOf(ndjson([...late, ...early])), receivedFirst, { pool });
    expect(again).toMatchObject({ stored: 0, requests: 0, duplicates: 80 });
    expect(await storedEvents(receivedFirst.cluster!)).toHaveLength(40);
  });

  it.each([
    ['an empty file', '', 'empty-input', /empty/],
    ['a binary file', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]), 'not-text', /not UTF-8 text/],
    [
      'JSON of another kind',
      ndjson([{ hello: 'world' }, { id: 1, name: 'x' }]),
      'unknown-format',
      /none of the first 2 records/,
    ],
    ['CSV', 'time,user,verb\n2026-01-01,alice,get\n', 'unknown-format', /none of the first/],
  ])(
    'refuses %s as a whole, naming the supported formats, and stores nothing',
    async (_label, input, code, message) => {
      const req = request();
      const failure = await failureOf(ingestStream(bytesOf(input as string), req, { pool }));
      expect(failure.cause).toBeInstanceOf(AppError);
      expect((failure.cause as AppError).code).toBe(code);
      expect(failure.message).toMatch(message);
      if (code !== 'not-text')
        expect(failure.message).toMatch(
          /k8s-audit.*eks-cloudwatch.*gke-cloud-audit.*aks-diagnostics.*elastic-audit.*file-events/s,
        );
      expect(failure.details.summary.stored).toBe(0);
      expect(await storedEvents(req.cluster!)).toHaveLength(0);
      expect(await getBatchSummary(db, failure.details.summary.batchId)).toMatchObject({
        status: 'failed',
        failureReason: failure.message,
      });
    },
  );

  it('isolates a record the database refuses and stores the rest of its chunk', async () => {
    // Incompressible and over btree's ~2.7 kB limit, so the username index refuses it.
    const huge = nativeEvent({ user: { username: randomBytes(6000).toString('base64'), groups: [] } });
    const events = [nativeEvent(), huge, nativeEvent(), nativeEvent()];
    const req = request();
    const summary = await ingestStream(bytesOf(ndjson(events)), req, { pool });
    expect(summary).toMatchObject({ stored: 3, rejected: 1 });
    expect(summary.errors[0]).toMatchObject({ line: 2 });
    expect(summary.errors[0]?.reason).toMatch(/the database refused this record/);
  });

  it('replaces NUL bytes that PostgreSQL cannot store instead of failing', async () => {
    const event = nativeEvent({ userAgent: 'curl\u0000/8.0' });
    const req = request();
    expect(await ingestStream(bytesOf(ndjson([event])), req, { pool })).toMatchObject({ stored: 1, rejected: 0 });
    const [row] = await storedEvents(req.cluster!);
    expect(row.user_agent).not.toContain('\u0000');
    expect(row.user_agent).toMatch(/^curl.\/8\.0$/);
  });

  it('marks a batch failed when the database goes away midway, and a second ingest completes it without duplicates', async () => {
    const events = Array.from({ length: 60 }, () => nativeEvent());
    const req = request();
    const victim = new pg.Pool({
      connectionString: inject('databaseUrl'),
      max: 2,
      application_name: 'vigil-test-victim',
    });
    victim.on('error', () => {});
    let chunks = 0;
    const failure = await failureOf(
      ingestStream(bytesOf(ndjson(events), 512), req, {
        pool: victim,
        chunkSize: 10,
        onProgress: () => {
          if (++chunks === 2)
            void pool.query(
              `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'vigil-test-victim'`,
            );
        },
      }),
    ).finally(() => victim.end());
    expect(failure.details.summary.status).toBe('failed');
    const partial = (await storedEvents(req.cluster!)).length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(60);
    const batch = await getBatchSummary(db, failure.details.summary.batchId);
    expect(batch?.status).toBe('failed');
    expect(batch?.failureReason).toBeTruthy();

    const retry = await ingestStream(bytesOf(ndjson(events)), req, { pool });
    expect(retry).toMatchObject({ status: 'completed', stored: 60 - partial, duplicates: partial });
    expect(await storedEvents(req.cluster!)).toHaveLength(60);
  });

  it('marks batches failed whose ingesting process died without a word', async () => {
    const stale = await db.ingestBatch.create({
      data: { source: 'upload', cluster: 'gone', updatedAt: new Date(Date.now() - 3_600_000) },
    });
    const live = await db.ingestBatch.create({ data: { source: 'upload', cluster: 'alive' } });
    expect(await failInterruptedBatches(db)).toBeGreaterThanOrEqual(1);
    expect(await getBatchSummary(db, stale.id)).toMatchObject({
      status: 'failed',
      failureReason: expect.stringMatching(/^interrupted/),
    });
    expect(await getBatchSummary(db, live.id)).toMatchObject({ status: 'running' });
  });
});

describe('a chunk whose COMMIT fails', () => {
  it('counts only what was committed: the batch fails with the stored figure the table holds', async () => {
    const { createScratchDatabase } = await import('../support/database');
    const { applyAllMigrations } = await import('../../scripts/commands/migrate');
    const scratch = await createScratchDatabase(inject('serverUrl'), 'commit');
    await applyAllMigrations(scratch.url);
    const scratchPool = new pg.Pool({ connectionString: scratch.url, max: 2 });
    try {
      // Checked at COMMIT: the third chunk's commit fails after every statement in it succeeded.
      await scratchPool.query(`
        CREATE FUNCTION refuse_third_chunk() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.stored > 2000 THEN RAISE EXCEPTION 'commit refused by the test'; END IF; RETURN NULL; END $$;
        CREATE CONSTRAINT TRIGGER refuse_third_chunk AFTER UPDATE ON ingest_batches
          DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_third_chunk();`);
      const records = Array.from({ length: 5000 }, () => nativeEvent());
      const failure = await failureOf(
        ingestStream(bytesOf(ndjson(records)), request(), { pool: scratchPool, chunkSize: 1000 }),
      );
      expect(failure.message).toMatch(/commit refused by the test/);
      const summary = failure.details.summary;
      const rows = await scratchPool.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events`);
      expect(rows.rows[0]!.n).toBe(2000);
      expect(summary).toMatchObject({ status: 'failed', stored: 2000, requests: 2000 });
    } finally {
      await scratchPool.end();
      await scratch.drop();
    }
  });
});
