// Streamed CSV / NDJSON export against a real database: the alert queue's export route (the
// filter selects exactly what the queue shows, in both formats, formula-guarded, with its
// headers and its refusals) and the stream helper itself (cursor batches, no connection or
// transaction left behind on completion, cancel, abort, error or a stalled downloader, and
// flat memory over a large result). Alert times are in 2043, which no other file uses.
import { randomUUID } from 'node:crypto';
import v8 from 'node:v8';
import vm from 'node:vm';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { GET as exportRoute, HEAD as exportHead } from '../../app/api/v1/alerts/export/route';
import { GET as listRoute } from '../../app/api/v1/alerts/route';
import { parseAlertSearchParams } from '../../lib/alerts/schemas';
import { getPool } from '../../lib/db/pool';
import { alertExportColumns, alertExportQuery } from '../../lib/export/alert-export';
import type { ExportColumn } from '../../lib/export/format-rows';
import { streamExport } from '../../app/api/_lib/stream-export';
import { BURST_RULE, ENUMERATION_RULE, insertAlert, seedRules, uniqueUser } from '../support/alert-factory';
import { bearer, createTestSession, createTestToken } from '../support/credentials';

await seedRules();
const pool = getPool();
const analyst = await createTestSession('analyst');
const viewer = await createTestSession('viewer');

afterAll(async () => {
  await pool.end();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const BASE = 'http://vigil.test/api/v1/alerts';
const HOSTILE = '=HYPERLINK("http://evil")';
const HEADERS = alertExportColumns.map((column) => column.header);

const get = (query: string | URLSearchParams, headers: Record<string, string> = analyst.headers) =>
  exportRoute(new Request(`${BASE}/export?${query}`, { headers }));

/** RFC 4180, as a spreadsheet reads it: quoted fields may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += c;
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || record.length) throw new Error(`last record not terminated by CRLF: ${JSON.stringify(field)}`);
  return records;
}

/** The CSV as objects keyed by the header row, which must be the alert columns. */
function csvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  expect(header).toEqual(HEADERS);
  return rows.map((row) => {
    expect(row).toHaveLength(HEADERS.length);
    return Object.fromEntries(HEADERS.map((name, index) => [name, row[index]!]));
  });
}

function ndjsonRecords(text: string): Record<string, unknown>[] {
  if (text === '') return [];
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line));
}

async function exportCsv(query: string | URLSearchParams) {
  const response = await get(query);
  expect(response.status, await response.clone().text()).toBe(200);
  return { response, records: csvRecords(await response.text()) };
}

async function exportNdjson(query: string | URLSearchParams) {
  const response = await get(query);
  expect(response.status, await response.clone().text()).toBe(200);
  return { response, records: ndjsonRecords(await response.text()) };
}

describe('GET /api/v1/alerts/export', () => {
  const user = uniqueUser('export');
  const other = uniqueUser('export-other');
  const ids = { a1: '', a2: '', a3: '', a4: '', other: '' };
  const at = (day: string, time = '10:00') => new Date(`2043-03-${day}T${time}:00Z`);
  const ruleNames = new Map<string, string>();

  beforeAll(async () => {
    ids.a1 = await insertAlert(pool, {
      username: user,
      severity: 'high',
      riskScore: 73,
      ruleId: BURST_RULE,
      namespaces: ['payments', 'prod'],
      secretNames: ['db-credentials', 'api-key'],
      sourceIp: '198.18.0.1',
      userAgent: HOSTILE,
      firstEventAt: at('01'),
      lastEventAt: at('01', '10:05'),
      eventCount: 5,
      assigneeId: analyst.userId,
      cluster: 'export-prod',
    });
    ids.a2 = await insertAlert(pool, {
      username: user,
      severity: 'critical',
      riskScore: 90,
      ruleId: ENUMERATION_RULE,
      podName: 'web-7f9c',
      sourceIp: '198.18.0.2',
      firstEventAt: at('02'),
      eventCount: 20,
    });
    ids.a3 = await insertAlert(pool, {
      username: user,
      status: 'closed',
      closeReason: 'false_positive',
      severity: 'low',
      riskScore: 10,
      firstEventAt: at('03'),
      namespaces: [],
      secretNames: [],
      sourceIp: null,
      userAgent: null,
    });
    ids.a4 = await insertAlert(pool, {
      username: user,
      status: 'acknowledged',
      severity: 'medium',
      riskScore: 47,
      // Quotes, a comma and a line break, to come back whole through CSV quoting.
      podName: 'pod "quoted", with\r\nbreak',
      secretNames: ['+cmd', '-x'],
      firstEventAt: at('04'),
    });
    ids.other = await insertAlert(pool, { username: other, firstEventAt: at('05') });
    const rules = await pool.query<{ id: string; name: string }>(`SELECT id, name FROM rules WHERE id = ANY($1)`, [
      [BURST_RULE, ENUMERATION_RULE],
    ]);
    for (const rule of rules.rows) ruleNames.set(rule.id, rule.name);
  });

  it('streams every matching alert as CSV, in the queue order, with the download headers', async () => {
    const { response, records } = await exportCsv(new URLSearchParams({ format: 'csv', user, status: 'all' }));
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="vigil-alerts-\d{8}T\d{6}Z\.csv"$/,
    );
    expect(response.headers.get('cache-control')).toBe('no-store');
    // The queue's default sort: last event, newest first.
    expect(records.map((record) => record.id)).toEqual([ids.a4, ids.a3, ids.a2, ids.a1]);
    const [a4, a3, , a1] = records;
    expect(a1).toEqual({
      id: ids.a1,
      ruleId: BURST_RULE,
      ruleName: ruleNames.get(BURST_RULE),
      severity: 'high',
      riskScore: '73',
      status: 'open',
      closeReason: '',
      assigneeEmail: analyst.email,
      firstEventAt: '2043-03-01T10:00:00.000Z',
      lastEventAt: '2043-03-01T10:05:00.000Z',
      eventCount: '5',
      cluster: 'export-prod',
      username: user,
      sourceIp: '198.18.0.1',
      // Formula injection guarded: a spreadsheet shows it as text.
      userAgent: `'${HOSTILE}`,
      podName: '',
      namespaces: 'payments;prod',
      secretNames: 'db-credentials;api-key',
      outcomes: 'allow',
      link: `/alerts/${ids.a1}`,
    });
    expect(a3).toMatchObject({ status: 'closed', closeReason: 'false_positive', namespaces: '', sourceIp: '' });
    expect(a4).toMatchObject({
      podName: 'pod "quoted", with\r\nbreak',
      // Every item of an array cell is guarded: `;` is the list separator in some spreadsheet locales.
      secretNames: "'+cmd;'-x",
      status: 'acknowledged',
    });
  });

  it('streams the same alerts as NDJSON, values unguarded and arrays kept', async () => {
    const { response, records } = await exportNdjson(new URLSearchParams({ format: 'ndjson', user, status: 'all' }));
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="vigil-alerts-\d{8}T\d{6}Z\.ndjson"$/,
    );
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(records.map((record) => record.id)).toEqual([ids.a4, ids.a3, ids.a2, ids.a1]);
    expect(Object.keys(records[0]!)).toEqual(HEADERS);
    expect(records[3]).toMatchObject({
      riskScore: 73,
      eventCount: 5,
      closeReason: null,
      assigneeEmail: analyst.email,
      userAgent: HOSTILE,
      namespaces: ['payments', 'prod'],
      firstEventAt: '2043-03-01T10:00:00.000Z',
      link: `/alerts/${ids.a1}`,
    });
    expect(records[0]).toMatchObject({ podName: 'pod "quoted", with\r\nbreak', secretNames: ['+cmd', '-x'] });
    expect(records[1]).toMatchObject({ sourceIp: null, userAgent: null, assigneeEmail: null, namespaces: [] });
  });

  it('selects by the queue filter and sorts by the queue sort, the same in both formats and as the queue', async () => {
    const query = new URLSearchParams({
      user,
      status: 'all',
      severity: 'high,critical',
      sort: 'riskScore',
      dir: 'asc',
    });
    const csv = await exportCsv(`${query}&format=csv`);
    const ndjson = await exportNdjson(`${query}&format=ndjson`);
    expect(csv.records.map((record) => record.id)).toEqual([ids.a1, ids.a2]);
    expect(ndjson.records.map((record) => record.id)).toEqual([ids.a1, ids.a2]);
    const queue = await listRoute(new Request(`${BASE}?${query}`, { headers: analyst.headers }));
    expect(((await queue.json()) as { rows: { id: string }[] }).rows.map((row) => row.id)).toEqual([ids.a1, ids.a2]);

    // No status parameter: the queue's open tab. Paging is ignored: the export is every row.
    const open = await exportCsv(new URLSearchParams({ user, format: 'csv', pageSize: '25', page: '7' }));
    expect(open.records.map((record) => record.id)).toEqual([ids.a2, ids.a1]);
    const byText = await exportNdjson(new URLSearchParams({ q: 'web-7f9c', user, format: 'ndjson' }));
    expect(byText.records.map((record) => record.id)).toEqual([ids.a2]);
    const otherUser = await exportCsv(new URLSearchParams({ user: other, format: 'csv' }));
    expect(otherUser.records.map((record) => record.id)).toEqual([ids.other]);
  });

  it('defaults to CSV and writes only the header (CSV) or nothing (NDJSON) when nothing matches', async () => {
    const nobody = uniqueUser('export-nobody');
    const csv = await get(new URLSearchParams({ user: nobody }));
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(await csv.text()).toBe(`${HEADERS.join(',')}\r\n`);
    const ndjson = await get(new URLSearchParams({ user: nobody, format: 'ndjson' }));
    expect(await ndjson.text()).toBe('');
  });

  it('writes the same file whatever the batch size', async () => {
    const query = parseAlertSearchParams(new URLSearchParams({ user, status: 'all' }));
    expect(query.success).toBe(true);
    const whole = await (await streamExport({ pool, ...alertExportQuery(query.data!), format: 'csv' })).text();
    for (const batchSize of [1, 2, 3, 4]) {
      const response = await streamExport({ pool, ...alertExportQuery(query.data!), format: 'csv', batchSize });
      expect(await response.text()).toBe(whole);
    }
    expect(csvRecords(whole)).toHaveLength(4);
  });

  it('answers HEAD with the download headers, checked like GET, without running the export', async () => {
    const checkedOut = () => pool.totalCount - pool.idleCount;
    const before = checkedOut();
    const head = await exportHead(
      new Request(`${BASE}/export?format=ndjson&user=${encodeURIComponent(user)}`, {
        method: 'HEAD',
        headers: analyst.headers,
      }),
    );
    expect(head.status).toBe(200);
    expect(head.body).toBeNull();
    expect(head.headers.get('content-type')).toBe('application/x-ndjson');
    expect(head.headers.get('content-disposition')).toMatch(
      /^attachment; filename="vigil-alerts-\d{8}T\d{6}Z\.ndjson"$/,
    );
    expect(checkedOut()).toBe(before);
    const refused = await exportHead(
      new Request(`${BASE}/export?format=xlsx`, { method: 'HEAD', headers: analyst.headers }),
    );
    expect(refused.status).toBe(400);
    expect((await exportHead(new Request(`${BASE}/export`, { method: 'HEAD' }))).status).toBe(401);
  });

  it('refuses a bad filter or format with 400', async () => {
    for (const query of [
      `format=csv&user=${encodeURIComponent(user)}&severity=urgent`,
      `format=csv&status=pending`,
      `format=csv&assignee=not-a-uuid`,
      `format=csv&from=yesterday`,
      `format=xlsx&user=${encodeURIComponent(user)}`,
      `format=CSV`,
    ]) {
      const response = await get(query);
      expect(response.status, query).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(((await response.json()) as { error: string }).error, query).toBeTruthy();
    }
    // Valid ISO, but no year PostgreSQL knows: refused by the database, still the caller's 400.
    const noYear = await get(`format=csv&user=${encodeURIComponent(user)}&from=0000-01-01T00:00:00Z`);
    expect(noYear.status).toBe(400);
    expect(((await noYear.json()) as { error: string }).error).toMatch(/out of range/);
    const badFormat = await get('format=xlsx');
    expect(((await badFormat.json()) as { error: string }).error).toMatch(/^format: /);
    const badSeverity = await get('severity=urgent');
    expect(((await badSeverity.json()) as { error: string }).error).toMatch(/severity/);
  });

  it('asks for credentials and accepts a read-only token or a viewer', async () => {
    const anonymous = await get(new URLSearchParams({ user, format: 'csv' }), {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-disposition')).toBeNull();
    expect((await get('format=csv', bearer('vgl_not-a-real-token'))).status).toBe(401);
    const token = await get(
      new URLSearchParams({ user, format: 'ndjson' }),
      bearer(await createTestToken(['read'], 'export test')),
    );
    expect(token.status).toBe(200);
    expect(ndjsonRecords(await token.text()).map((record) => record.id)).toEqual([ids.a2, ids.a1]);
    const asViewer = await get(new URLSearchParams({ user, format: 'csv' }), viewer.headers);
    expect(asViewer.status).toBe(200);
    expect(csvRecords(await asViewer.text())).toHaveLength(2);
  });
});

describe('streamExport', () => {
  const appName = `vigil-export-test-${randomUUID().slice(0, 8)}`;
  // A leaked client fails the next test's connect quickly rather than hanging it.
  const own = new pg.Pool({
    connectionString: inject('databaseUrl'),
    application_name: appName,
    max: 2,
    connectionTimeoutMillis: 5_000,
  });
  afterAll(async () => {
    await own.end();
  });
  const checkedOut = () => own.totalCount - own.idleCount;
  const HUGE = 'SELECT g AS n FROM generate_series(1, 5000000) g';
  const numberColumn: ExportColumn<{ n: number }>[] = [{ header: 'n', value: (row) => row.n }];

  /** This test's backends as PostgreSQL sees them, asked over another pool. */
  async function backendStates(): Promise<string[]> {
    const result = await pool.query<{ state: string }>(
      `SELECT state FROM pg_stat_activity WHERE application_name = $1 ORDER BY state`,
      [appName],
    );
    return result.rows.map((row) => row.state);
  }

  async function waitFor(condition: () => boolean | Promise<boolean>, what: string) {
    const deadline = Date.now() + 15_000;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Nothing checked out, no transaction open, and the pooled client still works. */
  async function expectNothingHeld() {
    expect(checkedOut()).toBe(0);
    expect(await backendStates()).not.toContain('idle in transaction');
    const cursors = await own.query<{ count: string }>(`SELECT count(*) FROM pg_cursors`);
    expect(cursors.rows[0]!.count).toBe('0');
  }

  it('sends the first batch, reads ahead no further than one batch, and on cancel ends the transaction', async () => {
    expect(checkedOut()).toBe(0);
    let fetched = 0;
    const response = await streamExport({
      pool: own,
      sql: HUGE,
      format: 'csv',
      name: 'numbers',
      columns: numberColumn,
      mapRow: (row: { n: number }) => {
        fetched++;
        return row;
      },
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    const text = new TextDecoder().decode(first.value);
    // The header and exactly one batch of 1000 rows: nothing like five million.
    const lines = text.split('\r\n');
    expect(lines.slice(0, 3)).toEqual(['n', '1', '2']);
    expect(lines.at(-2)).toBe('1000');
    expect(lines).toHaveLength(1002);
    expect(checkedOut()).toBe(1);
    expect(await backendStates()).toContain('idle in transaction');
    // Backpressure: a reader that stops reading stops the fetching (one batch of read-ahead at most).
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fetched).toBeGreaterThanOrEqual(1000);
    expect(fetched).toBeLessThanOrEqual(2000);

    await reader.cancel();
    await expectNothingHeld();
  });

  it('returns the client once a result is read to its end, over several batches', async () => {
    const response = await streamExport({
      pool: own,
      sql: 'SELECT g AS n, $1::text AS tag FROM generate_series(1, $2::int) g ORDER BY g',
      params: ['x', 2_345],
      format: 'ndjson',
      name: 'numbers',
      batchSize: 500,
      columns: [...numberColumn, { header: 'tag', value: (row: { n: number; tag: string }) => row.tag }],
    });
    const records = ndjsonRecords(await response.text());
    expect(records).toHaveLength(2_345);
    expect(records[0]).toEqual({ n: 1, tag: 'x' });
    expect(records.at(-1)).toEqual({ n: 2_345, tag: 'x' });
    await expectNothingHeld();
  });

  it('turns a query the database refuses before the first byte into a JSON error', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const failing = await streamExport({
      pool: own,
      sql: 'SELECT 1/0 AS n',
      format: 'csv',
      name: 'x',
      columns: numberColumn,
    });
    expect(failing.status).toBe(500);
    expect(failing.headers.get('content-disposition')).toBeNull();
    expect(await failing.json()).toEqual({ error: 'the export failed; the server log has the details' });
    expect(logged).toHaveBeenCalled();

    const refused = await streamExport({
      pool: own,
      sql: 'SELECT $1::int AS n',
      params: ['not a number'],
      format: 'ndjson',
      name: 'x',
      columns: numberColumn,
    });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toMatch(/invalid input syntax for type integer/);

    const broken = await streamExport({
      pool: own,
      sql: 'SELECT FROM WHERE',
      format: 'csv',
      name: 'x',
      columns: numberColumn,
    });
    expect(broken.status).toBe(500);
    await expectNothingHeld();
  });

  it('fails the download and returns the client when the query fails after the first byte', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const response = await streamExport({
      pool: own,
      // Row 1500 divides by zero: the first FETCH succeeds, the second fails.
      sql: 'SELECT CASE WHEN g < 1500 THEN g ELSE 1 / (g - g) END AS n FROM generate_series(1, 3000) g',
      format: 'csv',
      name: 'numbers',
      columns: numberColumn,
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    await expect(reader.read()).rejects.toThrow(/division by zero/);
    await waitFor(() => checkedOut() === 0, 'the client to come back');
    await expectNothingHeld();
    expect(logged).toHaveBeenCalledWith(expect.stringContaining('failed after its first byte'), expect.anything());
  });

  it('stops when its signal aborts (the request went away)', async () => {
    const abort = new AbortController();
    const response = await streamExport({
      pool: own,
      sql: HUGE,
      format: 'ndjson',
      name: 'numbers',
      columns: numberColumn,
      signal: abort.signal,
    });
    const reader = response.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    expect(checkedOut()).toBe(1);
    abort.abort();
    await expect(reader.read()).rejects.toThrow();
    await waitFor(() => checkedOut() === 0, 'the client to come back');
    await expectNothingHeld();

    // Already aborted: no client is even taken, and nothing is logged.
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const early = await streamExport({
      pool: own,
      sql: HUGE,
      format: 'csv',
      name: 'numbers',
      columns: numberColumn,
      signal: AbortSignal.abort(),
    });
    expect(early.status).toBe(500);
    expect(checkedOut()).toBe(0);
    expect(logged).not.toHaveBeenCalled();
  });

  it('frees the connection of a downloader that stopped reading, once the idle timeout passes', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const before = own.totalCount;
    const response = await streamExport({
      pool: own,
      sql: HUGE,
      format: 'csv',
      name: 'numbers',
      columns: numberColumn,
      idleTimeoutMs: 300,
    });
    const reader = response.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    // Nobody reads on: PostgreSQL ends the idle transaction's session, the pool drops the client.
    await waitFor(() => checkedOut() === 0, 'the stalled export to be ended');
    // The terminated backend leaves pg_stat_activity as its process exits, a moment later.
    await waitFor(async () => !(await backendStates()).includes('idle in transaction'), 'the backend to exit');
    await expect(reader.read()).rejects.toThrow();
    expect(own.totalCount).toBeLessThanOrEqual(before);
    expect(logged).toHaveBeenCalledWith(expect.stringContaining('ended early'), expect.anything());
    await expectNothingHeld();
  });

  // Forced collections make the heap measurements deterministic; without a gc hook, skip.
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as (() => void) | undefined;

  it.skipIf(typeof gc !== 'function')('streams 200,000 rows in batch-sized chunks with a flat heap', async () => {
    const ROWS = 200_000;
    gc!();
    const baseline = process.memoryUsage().heapUsed;
    const response = await streamExport({
      pool: own,
      sql: `SELECT g AS n, repeat('x', 200) AS pad FROM generate_series(1, ${ROWS}) g`,
      format: 'csv',
      name: 'numbers',
      columns: [...numberColumn, { header: 'pad', value: (row: { n: number; pad: string }) => row.pad }],
    });
    let lines = 0;
    let bytes = 0;
    let chunks = 0;
    let largestChunk = 0;
    let peak = 0;
    const reader = response.body!.getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      const chunk = next.value;
      bytes += chunk.byteLength;
      largestChunk = Math.max(largestChunk, chunk.byteLength);
      for (const byte of chunk) if (byte === 0x0a) lines++;
      // What stays live on the JS heap (rows, strings), after a full collection, now and then.
      if (chunks++ % 20 === 0) {
        gc!();
        peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
      }
    }
    expect(lines).toBe(ROWS + 1);
    // About 41 MB went through, 1000 rows (about 210 kB) at a time...
    expect(bytes).toBeGreaterThan(ROWS * 200);
    expect(chunks).toBe(ROWS / 1000);
    expect(largestChunk).toBeLessThan(250_000);
    // ...while holding the rows would keep over 50 MB of objects and strings live.
    expect(peak).toBeLessThan(16 * 1024 * 1024);
    await expectNothingHeld();
  });
});
