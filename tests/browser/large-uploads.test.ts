// Uploads past every limit in the path (Next's 10 MB proxy clone, body parsers, string sizes), against
// the real server: every record stored, the server's memory flat, a cut-off body never "completed".
import { randomUUID } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openSignedInPage } from '../support/accounts';
import { requestRecords, writeAuditLog, type AuditLogTruth } from '../support/audit-log-files';
import { launchChromium } from '../support/chromium';
import { findWebServer, megabytes, sampleRss } from '../support/process-memory';
import { runCli } from '../support/run-cli';
import { saveScreenshot } from '../support/screenshots';

const baseUrl = inject('baseUrl');
const pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 2 });
const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-large-'));
const gigabyteFile = path.join(dir, 'audit-1g.ndjson');
let gigabyte: AuditLogTruth;
let ingestToken: string;
let webhookToken: string;

async function createToken(scopes: string[]) {
  const args = ['token', 'create', '--name', `large-${randomUUID().slice(0, 6)}`, '--json'];
  for (const scope of scopes) args.push('--scope', scope);
  const result = await runCli(args, { DATABASE_URL: inject('databaseUrl') });
  if (result.code !== 0) throw new Error(result.stderr);
  return (JSON.parse(result.stdout) as { token: string }).token;
}

beforeAll(async () => {
  ingestToken = await createToken(['ingest', 'read']);
  webhookToken = await createToken(['ingest']);
  // ~1.5 GB: 50,000 requests carrying a 10 KB object, each logged at two stages.
  gigabyte = await writeAuditLog(gigabyteFile, { requests: 50_000, bodyBytes: 10_300, prefix: 'b1gb' });
}, 300_000);
afterAll(async () => {
  await pool.end();
  rmSync(dir, { recursive: true, force: true });
});

type Answer = { status: number; body: Record<string, unknown> };

/** POSTs a body made of parts (strings and files), with its exact Content-Length. */
function post(url: string, headers: Record<string, string>, parts: (string | { file: string })[]): Promise<Answer> {
  const length = parts.reduce(
    (total, part) => total + (typeof part === 'string' ? Buffer.byteLength(part) : statSync(part.file).size),
    0,
  );
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers: { ...headers, 'content-length': length } });
    request.on('error', reject);
    request.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
    });
    void (async () => {
      for (const part of parts) {
        if (typeof part === 'string') request.write(part);
        else
          for await (const chunk of createReadStream(part.file, { highWaterMark: 1024 * 1024 }))
            if (!request.write(chunk)) await new Promise((done) => request.once('drain', done));
      }
      request.end();
    })().catch(reject);
  });
}

/** One row per request: a request's stages are merged into it. */
async function storedRequests(batchId: string) {
  const result = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE batch_id = $1`, [
    batchId,
  ]);
  return result.rows[0]!.n;
}

/**
 * Runs the upload while sampling the web server's RSS and prints it. Flat means bounded: the second half
 * of the upload peaks no higher than the first (a buffered body grows with every byte), and what the
 * upload adds stays far below its size. The rise is measured from the server's RSS before the upload,
 * not as an absolute: V8 lets a busy heap grow up to ~4× its live size before collecting, so a server
 * that has served the rest of the suite sits hundreds of MB above a fresh one without holding more.
 */
async function withServerMemory<T>(
  label: string,
  upload: () => Promise<T>,
): Promise<{ result: T; growth: number; rise: number }> {
  const server = findWebServer(inject('appPid'));
  const sampler = sampleRss(server.pid);
  const result = await upload();
  const rss = sampler.stop();
  console.log(
    `[${label}] web server RSS: ${megabytes(rss.first)} before, peak ${megabytes(rss.firstHalfPeak)} in the first half and ${megabytes(rss.secondHalfPeak)} in the second, ${megabytes(rss.last)} after (${rss.samples} samples)`,
  );
  return { result, growth: rss.secondHalfPeak - rss.firstHalfPeak, rise: rss.peak - rss.first };
}

describe('uploads of any size', () => {
  it('stores every record of a 1 GB NDJSON sent as the raw body, with the server memory flat', async () => {
    expect(gigabyte.bytes).toBeGreaterThan(1024 ** 3);
    const { result, growth, rise } = await withServerMemory('1 GB raw', () =>
      post(
        `${baseUrl}/api/v1/uploads?format=k8s-audit&cluster=large-raw&fileName=audit-1g.ndjson`,
        { authorization: `Bearer ${ingestToken}`, 'content-type': 'application/octet-stream' },
        [{ file: gigabyteFile }],
      ),
    );
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ status: 'completed', received: gigabyte.records, rejected: 0 });
    expect(result.body.bytes).toBe(gigabyte.bytes);
    expect(result.body.stored).toBe(gigabyte.records);
    expect(result.body.requests).toBe(gigabyte.requests);
    expect(await storedRequests(result.body.batchId as string)).toBe(gigabyte.requests);
    expect(growth).toBeLessThan(100 * 1024 ** 2);
    expect(rise).toBeLessThan(gigabyte.bytes / 2);
  }, 900_000);

  it('stores every record of the same 1 GB sent as multipart/form-data, as a browser form does', async () => {
    const boundary = `----vigil${randomUUID()}`;
    const { result, growth, rise } = await withServerMemory('1 GB multipart', () =>
      post(
        `${baseUrl}/api/v1/uploads?format=k8s-audit&cluster=large-multipart`,
        { authorization: `Bearer ${ingestToken}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
        [
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="audit-1g.ndjson"\r\nContent-Type: application/octet-stream\r\n\r\n`,
          { file: gigabyteFile },
          `\r\n--${boundary}--\r\n`,
        ],
      ),
    );
    expect(result.status).toBe(200);
    const [batch] = result.body.batches as Record<string, unknown>[];
    expect(batch).toMatchObject({ status: 'completed', received: gigabyte.records, stored: gigabyte.records });
    expect(batch).toMatchObject({ requests: gigabyte.requests });
    expect(await storedRequests(batch!.batchId as string)).toBe(gigabyte.requests);
    expect(growth).toBeLessThan(100 * 1024 ** 2);
    expect(rise).toBeLessThan(gigabyte.bytes / 2);
  }, 900_000);

  it('takes a 30 MB EventList on the audit webhook whole, and answers 413 past its 32 MiB limit', async () => {
    const eventList = (requests: number, prefix: string) =>
      `{"kind":"EventList","apiVersion":"audit.k8s.io/v1","metadata":{},"items":[${Array.from(
        { length: requests },
        (_, index) => requestRecords({ requests, bodyBytes: 10_300, prefix }, index).join(','),
      ).join(',')}]}`;
    const file = path.join(dir, 'webhook.json');
    writeFileSync(file, eventList(1_000, 'wh30'));
    const size = statSync(file).size;
    expect(size).toBeGreaterThan(29 * 1024 ** 2);
    expect(size).toBeLessThan(32 * 1024 ** 2);
    const answer = await post(
      `${baseUrl}/api/v1/audit-webhook/large-webhook`,
      { authorization: `Bearer ${webhookToken}`, 'content-type': 'application/json' },
      [{ file }],
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'completed', received: 2_000, stored: 2_000 });
    // 1,000 requests, each at two stages.
    expect(await storedRequests(answer.body.batchId as string)).toBe(1_000);

    writeFileSync(file, eventList(1_200, 'wh34'));
    const over = await post(
      `${baseUrl}/api/v1/audit-webhook/large-webhook`,
      { authorization: `Bearer ${webhookToken}`, 'content-type': 'application/json' },
      [{ file }],
    );
    expect(over.status).toBe(413);
    expect(over.body.error).toMatch(/larger than the 33554432-byte limit/);
  }, 300_000);

  it('reads a gzip body over 10 MB whole', async () => {
    const requests = 1_800;
    const lines = Array.from({ length: requests }, (_, index) =>
      requestRecords({ requests, bodyBytes: 10_000, prefix: 'gz12', randomBodies: true }, index).join('\n'),
    );
    const file = path.join(dir, 'audit.ndjson.gz');
    writeFileSync(file, gzipSync(`${lines.join('\n')}\n`));
    expect(statSync(file).size).toBeGreaterThan(12 * 1024 ** 2);
    const answer = await post(
      `${baseUrl}/api/v1/uploads?cluster=large-gzip&fileName=audit.ndjson.gz`,
      { authorization: `Bearer ${ingestToken}`, 'content-type': 'application/gzip' },
      [{ file }],
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'completed', stored: 2 * requests, rejected: 0 });
  }, 300_000);

  it('fails a batch whose body stops short of its Content-Length, naming why, and keeps the complete records', async () => {
    const batchId = randomUUID();
    const lines = Array.from({ length: 400 }, (_, index) =>
      requestRecords({ requests: 400, bodyBytes: 2_000, prefix: 'cut1' }, index),
    ).flat();
    const text = `${lines.join('\n')}\n`;
    // Send the first 250 records and half of the 251st, then drop the connection.
    const sent = lines.slice(0, 250).join('\n').length + 1 + Math.floor(lines[250]!.length / 2);
    const socket = net.connect(Number(new URL(baseUrl).port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST /api/v1/uploads?format=k8s-audit&cluster=large-cut&batchId=${batchId} HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
        `Authorization: Bearer ${ingestToken}\r\nContent-Type: application/octet-stream\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n`,
    );
    socket.write(text.slice(0, sent));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    socket.destroy();

    let batch: Record<string, unknown> = {};
    for (let attempt = 0; attempt < 60; attempt++) {
      const response = await fetch(`${baseUrl}/api/v1/uploads/${batchId}`, {
        headers: { authorization: `Bearer ${ingestToken}` },
      });
      if (response.status === 200) batch = (await response.json()) as Record<string, unknown>;
      if (batch.status && batch.status !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(batch.status).toBe('failed');
    expect(batch.failureReason).toMatch(/cut off/);
    expect(batch.stored).toBe(250);
    // The 250 records are 125 requests at both stages.
    expect(await storedRequests(batchId)).toBe(125);
  }, 120_000);
});

describe('the Uploads page', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('stores every record of a 100 MB file dropped on the page', async () => {
    const file = path.join(dir, 'eks-export-100m.ndjson');
    const truth = await writeAuditLog(file, { requests: 5_000, bodyBytes: 10_300, prefix: 'p100' });
    expect(truth.bytes).toBeGreaterThan(100 * 1024 ** 2);
    const page = await openSignedInPage(browser, baseUrl, inject('sessionCookies').admin);
    await page.goto(`${baseUrl}/uploads`);
    await page.getByLabel('Audit log files').setInputFiles([file]);
    const row = page.getByRole('region', { name: "This session's uploads" }).locator('li', {
      hasText: 'eks-export-100m.ndjson',
    });
    await row.locator('.status-done, .status-failed').waitFor({ timeout: 300_000 });
    const figure = (label: string) => row.locator('.batch-figures div', { hasText: label }).locator('dd').textContent();
    await expect(figure('Stored')).resolves.toBe(truth.records.toLocaleString('en-US'));
    await expect(figure('Rejected')).resolves.toBe('0');
    await saveScreenshot(page, 'uploads-100mb');
    await page.context().close();
  }, 600_000);
});
