import { afterAll, describe, expect, inject, it } from 'vitest';
import { POST as postWebhookWithPath } from '../../app/api/v1/audit-webhook/[cluster]/route';
import { POST as postWebhook } from '../../app/api/v1/audit-webhook/route';
import { GET as getBatch } from '../../app/api/v1/uploads/[batchId]/route';
import { GET as listUploads, POST as postUpload } from '../../app/api/v1/uploads/route';
import { getDb } from '../../lib/db/client';
import { getPool } from '../../lib/db/pool';
import { bearer, createTestToken } from '../support/credentials';
import { gzip, nativeEvent, ndjson } from '../support/audit-events';

// The route handlers reach the database through the process-wide pool (DATABASE_URL).
expect(process.env.DATABASE_URL).toBe(inject('databaseUrl'));
const ingestToken = await createTestToken(['ingest']);
const readToken = await createTestToken(['read']);
afterAll(async () => {
  await getPool().end();
  await getDb().$disconnect();
});

const uniqueCluster = () => `http-${Math.random().toString(36).slice(2, 10)}`;
const post = (
  handler: (request: Request) => Promise<Response>,
  url: string,
  body: BodyInit,
  headers: Record<string, string> = bearer(ingestToken),
) => handler(new Request(`http://vigil.test${url}`, { method: 'POST', body, headers, duplex: 'half' } as RequestInit));

async function countEvents(cluster: string) {
  const result = await getPool().query('SELECT count(*)::int AS n FROM audit_events WHERE cluster = $1', [cluster]);
  return result.rows[0].n as number;
}

describe('POST /api/v1/uploads', () => {
  it('ingests a raw body and answers with the summary scripts rely on', async () => {
    const cluster = uniqueCluster();
    const response = await post(
      postUpload,
      `/api/v1/uploads?cluster=${cluster}&fileName=audit.log.gz`,
      gzip(ndjson([nativeEvent(), nativeEvent(), '{oops'])),
    );
    expect(response.status).toBe(200);
    const summary = await response.json();
    expect(Object.keys(summary)).toEqual(
      expect.arrayContaining([
        'batchId',
        'format',
        'received',
        'stored',
        'duplicates',
        'rejected',
        'skipped',
        'errors',
      ]),
    );
    expect(summary).toMatchObject({
      format: 'k8s-audit',
      received: 3,
      stored: 2,
      rejected: 1,
      fileName: 'audit.log.gz',
      cluster,
      source: 'upload',
    });
    expect(summary.errors).toEqual([{ line: 3, reason: expect.stringMatching(/malformed JSON/) }]);

    const followUp = await getBatch(new Request('http://vigil.test/', { headers: bearer(readToken) }), {
      params: Promise.resolve({ batchId: summary.batchId }),
    });
    expect(await followUp.json()).toMatchObject({ batchId: summary.batchId, status: 'completed', stored: 2 });
  });

  it('ingests every file of a multipart body, each as its own batch', async () => {
    const cluster = uniqueCluster();
    const form = new FormData();
    form.append('file', new Blob([ndjson([nativeEvent()])]), 'one.ndjson');
    form.append('file', new Blob([ndjson([nativeEvent(), nativeEvent()])]), 'two.ndjson');
    const response = await post(postUpload, `/api/v1/uploads?cluster=${cluster}`, form);
    expect(response.status).toBe(200);
    const { batches } = await response.json();
    expect(batches.map((batch: { fileName: string; stored: number }) => [batch.fileName, batch.stored])).toEqual([
      ['one.ndjson', 1],
      ['two.ndjson', 2],
    ]);
    expect(await countEvents(cluster)).toBe(3);
  });

  it('answers 422 with the reason for input it cannot use, and 400 for bad parameters', async () => {
    const unusable = await post(postUpload, `/api/v1/uploads?cluster=${uniqueCluster()}`, 'just some text\n');
    expect(unusable.status).toBe(422);
    const body = await unusable.json();
    expect(body.error).toMatch(/Supported: .*k8s-audit/);
    expect(body.status).toBe('failed');

    const badFormat = await post(postUpload, '/api/v1/uploads?format=splunk', ndjson([nativeEvent()]));
    expect(badFormat.status).toBe(400);
    expect((await badFormat.json()).error).toMatch(/^format: must be one of: auto, k8s-audit/);

    const badCluster = await post(
      postUpload,
      `/api/v1/uploads?cluster=${encodeURIComponent("x'; DROP TABLE audit_events;--")}`,
      ndjson([nativeEvent()]),
    );
    expect(badCluster.status).toBe(400);
    expect((await badCluster.json()).error).toMatch(/^cluster:/);
  });

  it('fails the batch of a multipart file whose body is cut off mid-file, keeping its complete records', async () => {
    const cluster = uniqueCluster();
    const boundary = 'vigil-cut-boundary';
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.ndjson"\r\n\r\n`;
    const records = ndjson(Array.from({ length: 40 }, () => nativeEvent()));
    const cut = head + records.slice(0, records.indexOf('\n', Math.floor(records.length / 2)) + 20);
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (pulls++ === 0) return controller.enqueue(new TextEncoder().encode(cut));
        // The client goes away a moment after its last bytes arrived.
        await new Promise((resolve) => setTimeout(resolve, 100));
        controller.error(new Error('aborted'));
      },
    });
    const response = await post(postUpload, `/api/v1/uploads?cluster=${cluster}`, body, {
      ...bearer(ingestToken),
      'content-type': `multipart/form-data; boundary=${boundary}`,
    });
    expect(response.status).toBe(400);
    const answer = await response.json();
    expect(answer.error).toMatch(/malformed|cut off|aborted/);
    const batches = await getPool().query(
      `SELECT status, stored, failure_reason FROM ingest_batches WHERE cluster = $1`,
      [cluster],
    );
    expect(batches.rows).toEqual([
      { status: 'failed', stored: expect.any(Number), failure_reason: expect.stringMatching(/cut off/) },
    ]);
    expect(batches.rows[0].stored).toBe(await countEvents(cluster));
    expect(batches.rows[0].stored).toBeGreaterThan(0);
  });

  it('lists past batches, newest first', async () => {
    const response = await listUploads(
      new Request('http://vigil.test/api/v1/uploads?limit=2', { headers: bearer(readToken) }),
    );
    const { batches } = await response.json();
    expect(batches.length).toBeLessThanOrEqual(2);
    expect(new Date(batches[0].startedAt).getTime()).toBeGreaterThanOrEqual(new Date(batches[1].startedAt).getTime());
  });
});

describe('POST /api/v1/audit-webhook', () => {
  it('accepts the EventList a kube-apiserver webhook backend sends', async () => {
    const cluster = uniqueCluster();
    const eventList = {
      kind: 'EventList',
      apiVersion: 'audit.k8s.io/v1',
      metadata: {},
      items: [nativeEvent(), nativeEvent({ stage: 'RequestReceived' })],
    };
    const response = await post(postWebhook, `/api/v1/audit-webhook?cluster=${cluster}`, JSON.stringify(eventList), {
      'content-type': 'application/json',
      ...bearer(ingestToken),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ source: 'webhook', cluster, stored: 2, format: 'k8s-audit' });
    expect(await countEvents(cluster)).toBe(2);
  });

  it('takes the cluster from the path too, as kubeconfig server URLs need', async () => {
    const cluster = uniqueCluster();
    const body = JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [nativeEvent()] });
    const request = new Request(`http://vigil.test/api/v1/audit-webhook/${cluster}`, {
      method: 'POST',
      body,
      headers: bearer(ingestToken),
    });
    const response = await postWebhookWithPath(request, { params: Promise.resolve({ cluster }) });
    expect(await response.json()).toMatchObject({ cluster, stored: 1 });
  });

  it('never answers 200 for an EventList cut off before its Content-Length', async () => {
    const cluster = uniqueCluster();
    const text = JSON.stringify({
      kind: 'EventList',
      apiVersion: 'audit.k8s.io/v1',
      items: [nativeEvent(), nativeEvent()],
    });
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(text.slice(0, text.length - 40)));
        controller.close();
      },
    });
    const response = await post(postWebhook, `/api/v1/audit-webhook?cluster=${cluster}`, body, {
      ...bearer(ingestToken),
      'content-length': String(Buffer.byteLength(text)),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/cut off on the way/),
    });
  });

  it('needs the cluster name in the URL', async () => {
    const response = await post(postWebhook, '/api/v1/audit-webhook', JSON.stringify({ kind: 'EventList', items: [] }));
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/cluster/);
  });
});

describe('POST /api/v1/uploads: faults in the input', () => {
  it('rejects only the record holding a NUL byte, wherever it is, and stores the 1,999 others', async () => {
    for (const at of [0, 199, 1999]) {
      const cluster = uniqueCluster();
      const lines = Array.from({ length: 2000 }, () => JSON.stringify(nativeEvent()));
      lines[at] = lines[at]!.replace('"verb":"get"', '"verb":"g\u0000et"');
      const response = await post(postUpload, `/api/v1/uploads?cluster=${cluster}`, `${lines.join('\n')}\n`);
      expect(response.status).toBe(200);
      const summary = await response.json();
      expect(summary).toMatchObject({ status: 'completed', received: 2000, stored: 1999, rejected: 1 });
      expect(summary.errors[0].line).toBe(at + 1);
      expect(await countEvents(cluster)).toBe(1999);
    }
  });

  it('answers 409 with a message when a batchId is reused, and leaves the first batch as it was', async () => {
    const cluster = uniqueCluster();
    const batchId = crypto.randomUUID();
    const first = await post(
      postUpload,
      `/api/v1/uploads?cluster=${cluster}&batchId=${batchId}`,
      ndjson([nativeEvent()]),
    );
    expect(first.status).toBe(200);
    const again = await post(
      postUpload,
      `/api/v1/uploads?cluster=${cluster}&batchId=${batchId}`,
      ndjson([nativeEvent()]),
    );
    expect(again.status).toBe(409);
    expect((await again.json()).error).toMatch(/already exists/);
    expect(await countEvents(cluster)).toBe(1);
  });

  it('fails a gzip bomb quickly as too large, keeping the records that came before it', async () => {
    const cluster = uniqueCluster();
    const good = ndjson(Array.from({ length: 50 }, () => nativeEvent()));
    const filler = `${JSON.stringify({ kind: 'Event', note: 'x'.repeat(200) })}\n`.repeat(1_200_000);
    const started = Date.now();
    const response = await post(postUpload, `/api/v1/uploads?cluster=${cluster}`, gzip(good + filler));
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(response.status).toBe(413);
    const summary = await response.json();
    expect(summary.error ?? summary.failureReason).toMatch(/decompression bomb/);
    expect(await countEvents(cluster)).toBe(50);
  });
});
