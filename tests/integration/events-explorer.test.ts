// The events explorer against a real database: every kind of filter, order, cursor paging across
// pages (identical and sub-millisecond timestamps at the page boundaries), the capped total, file
// events, validation errors, and one event's detail with what the same identity did around it.
// Event times are in 2046 only (no other file uses that year), names are unique to this run, and
// every search names this run's user, pod or namespace, so other files' rows cannot show up.
import { reasonFieldsOf } from '../../lib/rbac/parse-authorization-reason';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as getEvent } from '../../app/api/v1/events/[id]/route';
import { GET as listEvents } from '../../app/api/v1/events/route';
import { getPool } from '../../lib/db/pool';
import type { EventDetail } from '../../lib/events/read-event';
import { COUNT_LIMIT, type AuditEventRow, type EventPage, type FileEventRow } from '../../lib/events/search-events';
import { ingestEvents, seedRules } from '../support/alert-factory';
import type { NativeEvent } from '../support/audit-events';
import { bearer, createTestSession, createTestToken } from '../support/credentials';
import { auditRequest, defendFileEvent, ingestFileEvents } from '../support/investigation-events';

await seedRules();
const pool = getPool();
afterAll(async () => {
  await pool.end();
});

const run = randomUUID();
const short = run.slice(0, 8);
const CLUSTER = `explorer-${short}`;
const USER = `explorer-${run}@corp.example`;
const OTHER_USER = `other-${run}@corp.example`;
const PAGER = `pager-${run}`;
const BULK = `bulk-${run}`;
const NS1 = `ex1-${short}`;
const NS2 = `ex2-${short}`;
const NS = `pods-${short}`;
const NS_Q = `podsq-${short}`;
const POD = `api-${run}`;
const SA = `system:serviceaccount:${NS}:api`;
const TEAM = `team-${run}`;
const DAY = { from: '2046-04-01T00:00:00Z', to: '2046-04-02T00:00:00Z' };

const token = await createTestToken(['read']);
const viewer = await createTestSession('viewer');

// The user's requests, a minute apart, plus one 6 minutes before the detail's event (E4).
const at = (minute: string) => `2046-04-01T10:${minute}:00.000Z`;
const userEvents: Record<string, NativeEvent> = {
  E0: auditRequest({ time: '2046-04-01T09:57:00.000Z', user: USER, namespace: NS1, name: 'early' }),
  E1: auditRequest({
    time: at('00'),
    user: USER,
    namespace: NS1,
    name: 'secret-a',
    groups: ['system:authenticated', TEAM],
  }),
  E2: auditRequest({ time: at('01'), user: USER, namespace: NS1, name: 'secret-b', code: 403, decision: 'forbid' }),
  E3: auditRequest({ time: at('02'), user: USER, verb: 'list', namespace: NS1, name: null }),
  E4: auditRequest({ time: at('03'), user: USER, resource: 'configmaps', namespace: NS1, name: 'cfg_1-a' }),
  E5: auditRequest({ time: at('04'), user: USER, resource: 'configmaps', namespace: NS1, name: 'cfgX1-a' }),
  E6: auditRequest({ time: at('05'), user: USER, resource: 'configmaps', namespace: NS2, name: '50%-off' }),
  E7: auditRequest({ time: at('06'), user: USER, resource: 'configmaps', namespace: NS2, name: '50-off-x' }),
  E8: auditRequest({
    time: at('07'),
    user: USER,
    verb: 'delete',
    resource: 'pods',
    namespace: NS2,
    name: 'web-1',
    code: 404,
    decision: 'allow',
  }),
  E9: auditRequest({ time: at('08'), user: USER, namespace: NS2, name: 'my-secret-x' }),
  X1: auditRequest({ time: at('03'), user: OTHER_USER, namespace: NS1, name: 'secret-a' }),
};
// The pod's token: S3 is 6 minutes after S1.
const podEvents: Record<string, NativeEvent> = {
  S1: auditRequest({ time: at('10'), user: SA, namespace: NS, name: 'token-x', podName: POD, nodeName: 'node-1' }),
  S2: auditRequest({
    time: at('13'),
    user: SA,
    verb: 'list',
    resource: 'pods',
    namespace: NS,
    name: null,
    podName: POD,
  }),
  S3: auditRequest({ time: at('16'), user: SA, namespace: NS, name: 'token-y', podName: POD }),
};
const fileTimes = { FE1: at('09'), FE2: at('12'), FE3: at('11'), FE4: at('16') };

/**
 * The pager's 60 requests, in ascending order: four a second, at 100, 200, 200 and 300 µs past it
 * (one millisecond). With 25 a page, the page boundaries fall on identical timestamps (broken by
 * id) and between times less than a millisecond apart, in either order.
 */
const pagerTimes = Array.from({ length: 60 }, (_, index) => {
  const second = String(Math.floor(index / 4)).padStart(2, '0');
  return `2046-05-01T00:00:${second}.000${[1, 2, 2, 3][index % 4]}00Z`;
});

const ids: Record<string, string> = {};
const fileIds: Record<string, string> = {};

beforeAll(async () => {
  await ingestEvents(
    pool,
    [
      ...Object.values(userEvents),
      ...Object.values(podEvents),
      ...pagerTimes.map((time, index) => auditRequest({ time, user: PAGER, name: `page-${index}` })),
    ],
    CLUSTER,
  );
  await ingestFileEvents(
    pool,
    [
      defendFileEvent({ time: fileTimes.FE1, podName: POD, namespace: NS }),
      defendFileEvent({
        time: fileTimes.FE2,
        podName: POD,
        namespace: NS,
        path: '/etc/passwd',
        action: 'write',
        processName: 'sh',
        processUser: 'app',
      }),
      // The same pod name in another namespace.
      defendFileEvent({
        time: fileTimes.FE3,
        podName: POD,
        namespace: NS_Q,
        path: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
      }),
      defendFileEvent({ time: fileTimes.FE4, podName: POD, namespace: NS, path: '/tmp/x' }),
    ],
    CLUSTER,
  );
  const audit = await pool.query<{ id: string; audit_id: string }>(
    `SELECT id::text, audit_id FROM audit_events WHERE cluster = $1`,
    [CLUSTER],
  );
  const byAuditId = new Map(audit.rows.map((row) => [row.audit_id, row.id]));
  for (const [key, event] of Object.entries({ ...userEvents, ...podEvents })) ids[key] = byAuditId.get(event.auditID)!;
  const files = await pool.query<{ id: string; time: Date; namespace: string }>(
    `SELECT id::text, time, namespace FROM file_events WHERE cluster = $1`,
    [CLUSTER],
  );
  for (const [key, time] of Object.entries(fileTimes))
    fileIds[key] = files.rows.find(
      (row) => row.time.toISOString() === time && row.namespace === (key === 'FE3' ? NS_Q : NS),
    )!.id;

  // More rows than the count stops at, written directly (the ingest would take a while).
  await pool.query(`SELECT vigil_ensure_partitions('2046-06-01', $1)`, [CLUSTER]);
  await pool.query(
    `INSERT INTO audit_events (cluster, audit_id, completed_at, time, verb, username, groups, source_ips, source_ip, resource,
        namespace, name, response_code, decision, source_format)
     SELECT $1, 'bulk-' || g, '2046-06-01T00:00:00Z'::timestamptz + g * interval '1 second', '2046-06-01T00:00:00Z'::timestamptz + g * interval '1 second', 'get', $2,
        '{system:authenticated}', '{192.0.2.50}', '192.0.2.50', 'secrets', 'bulk', 'bulk-' || g, 200, 'allow', 'k8s-audit'
       FROM generate_series(1, $3::int) g`,
    [CLUSTER, BULK, COUNT_LIMIT + 5],
  );
});

const BASE = 'http://vigil.test/api/v1/events';
const list = (query: string | URLSearchParams, headers: Record<string, string> = bearer(token)) =>
  listEvents(new Request(`${BASE}?${query}`, { headers }));

async function search(query: Record<string, string>): Promise<EventPage> {
  const response = await list(new URLSearchParams(query));
  expect(response.status, await response.clone().text()).toBe(200);
  return response.json();
}
const keysOf = (page: EventPage) =>
  page.rows.map((row) => Object.entries(ids).find(([, id]) => id === row.id)?.[0] ?? `?${row.id}`);
const fileKeysOf = (page: EventPage) =>
  page.rows.map((row) => Object.entries(fileIds).find(([, id]) => id === row.id)?.[0] ?? `?${row.id}`);

describe('GET /api/v1/events: audit filters', () => {
  it("an exact user gives that user's events, newest first, with every column", async () => {
    const page = await search({ user: USER, ...DAY });
    expect(keysOf(page)).toEqual(['E9', 'E8', 'E7', 'E6', 'E5', 'E4', 'E3', 'E2', 'E1', 'E0']);
    expect(page).toMatchObject({ kind: 'audit', total: 10, totalIsLowerBound: false, nextCursor: null });
    const forbidden = page.rows.find((row) => row.id === ids.E2) as AuditEventRow;
    expect(forbidden).toEqual({
      kind: 'audit',
      id: ids.E2,
      time: at('01'),
      cluster: CLUSTER,
      auditId: userEvents.E2!.auditID,
      receivedAt: null,
      startedAt: null,
      completedAt: expect.any(String),
      panickedAt: null,
      stages: ['ResponseComplete'],
      verb: 'get',
      username: USER,
      groups: ['system:authenticated'],
      userAgent: 'kubectl/v1.30.2 (linux/amd64) kubernetes/39683505',
      sourceIp: '192.0.2.10',
      sourceIps: ['192.0.2.10'],
      resource: 'secrets',
      subresource: null,
      namespace: NS1,
      name: 'secret-b',
      requestUri: `/api/v1/namespaces/${NS1}/secrets/secret-b`,
      responseCode: 403,
      decision: 'forbid',
      reason: null,
      ...reasonFieldsOf(null),
      outcome: 'forbidden',
      podName: null,
      nodeName: null,
      impersonatedUser: null,
      sourceFormat: 'k8s-audit',
    });
  });

  it('a trailing `*` matches as a prefix, and `*` inside as a wildcard', async () => {
    expect(keysOf(await search({ user: USER, name: 'secret-*', ...DAY }))).toEqual(['E2', 'E1']);
    expect(keysOf(await search({ user: USER, name: '*secret-*', ...DAY }))).toEqual(['E9', 'E2', 'E1']);
    expect(keysOf(await search({ user: USER, name: 'cfg*-a', ...DAY }))).toEqual(['E5', 'E4']);
    // A prefix of the user itself.
    expect((await search({ user: `explorer-${run.slice(0, 13)}*`, ...DAY })).total).toBe(10);
  });

  it('`_` and `%` in a value are literal characters, never wildcards', async () => {
    // Unescaped, `cfg_1*` would also match cfgX1-a and `50%*` would match 50-off-x.
    expect(keysOf(await search({ user: USER, name: 'cfg_1*', ...DAY }))).toEqual(['E4']);
    expect(keysOf(await search({ user: USER, name: '50%*', ...DAY }))).toEqual(['E6']);
    expect(keysOf(await search({ user: USER, name: 'cfg_1-a', ...DAY }))).toEqual(['E4']);
    expect(keysOf(await search({ user: USER, name: 'cfg_1-_', ...DAY }))).toEqual([]);
  });

  it('verb and resource together', async () => {
    expect(keysOf(await search({ user: USER, verb: 'delete', resource: 'pods', ...DAY }))).toEqual(['E8']);
    expect(keysOf(await search({ user: USER, verb: 'get', resource: 'configmaps', ...DAY }))).toEqual([
      'E7',
      'E6',
      'E5',
      'E4',
    ]);
  });

  it('outcome, response code and group', async () => {
    expect(keysOf(await search({ user: USER, outcome: 'forbidden', ...DAY }))).toEqual(['E2']);
    // E8 is a 404 the authorizer allowed.
    const allowed = await search({ user: USER, outcome: 'allowed', ...DAY });
    expect(allowed.total).toBe(9);
    expect(keysOf(allowed)).toContain('E8');
    expect(keysOf(await search({ user: USER, outcome: 'other', ...DAY }))).toEqual([]);
    expect(keysOf(await search({ user: USER, responseCode: '404', ...DAY }))).toEqual(['E8']);
    expect(keysOf(await search({ user: USER, responseCode: '403', ...DAY }))).toEqual(['E2']);
    expect(keysOf(await search({ group: TEAM, ...DAY }))).toEqual(['E1']);
    expect((await search({ user: USER, group: 'system:authenticated', ...DAY })).total).toBe(10);
  });

  it('namespace and pod', async () => {
    expect(keysOf(await search({ namespace: NS2, ...DAY }))).toEqual(['E9', 'E8', 'E7', 'E6']);
    expect(keysOf(await search({ pod: POD, ...DAY }))).toEqual(['S3', 'S2', 'S1']);
    expect(keysOf(await search({ pod: POD, verb: 'list', ...DAY }))).toEqual(['S2']);
  });

  it('a time range includes from and excludes to', async () => {
    expect(keysOf(await search({ user: USER, from: at('02'), to: at('05') }))).toEqual(['E5', 'E4', 'E3']);
    // datetime-local is read as UTC.
    expect(keysOf(await search({ user: USER, from: '2046-04-01T10:02', to: '2046-04-01T10:05' }))).toEqual([
      'E5',
      'E4',
      'E3',
    ]);
    expect((await search({ user: USER, from: '2045-04-01T00:00:00Z', to: '2046-04-01T00:00:00Z' })).total).toBe(0);
  });

  it('orders oldest first on request', async () => {
    expect(keysOf(await search({ user: USER, order: 'asc', ...DAY }))).toEqual([
      'E0',
      'E1',
      'E2',
      'E3',
      'E4',
      'E5',
      'E6',
      'E7',
      'E8',
      'E9',
    ]);
  });
});

describe('GET /api/v1/events: paging', () => {
  const PAGER_RANGE = { from: '2046-05-01T00:00:00Z', to: '2046-05-01T00:01:00Z' };

  async function pageThrough(order: 'asc' | 'desc') {
    const pages: EventPage[] = [];
    let cursor: string | null = null;
    do {
      const page = await search({
        user: PAGER,
        ...PAGER_RANGE,
        order,
        pageSize: '25',
        ...(cursor ? { cursor } : {}),
      });
      pages.push(page);
      cursor = page.nextCursor;
    } while (cursor && pages.length < 5);
    return pages;
  }

  for (const order of ['desc', 'asc'] as const)
    it(`walks three pages ${order} with the cursor, no row twice and none left out`, async () => {
      const expected = await pool.query<{ id: string }>(
        // Qualified: a bare `id` would sort by the text output column ('99' after '100').
        `SELECT e.id::text AS id FROM audit_events e WHERE e.username = $1 ORDER BY e.time ${order}, e.id ${order}`,
        [PAGER],
      );
      expect(expected.rows).toHaveLength(60);
      const pages = await pageThrough(order);
      expect(pages.map((page) => page.rows.length)).toEqual([25, 25, 10]);
      expect(pages.map((page) => page.total)).toEqual([60, 60, 60]);
      expect(pages[2]!.nextCursor).toBeNull();
      // The cursor is the last row seen: its time and id.
      expect(pages[0]!.nextCursor).toMatch(new RegExp(`^2046-05-01T00:00:\\d{2}\\.\\d+Z_${pages[0]!.rows[24]!.id}$`));
      const seen = pages.flatMap((page) => page.rows.map((row) => row.id));
      expect(new Set(seen).size).toBe(60);
      expect(seen).toEqual(expected.rows.map((row) => row.id));
    });

  it('counts up to the limit, and says when there are more', async () => {
    const bulk = await search({
      user: BULK,
      from: '2046-06-01T00:00:00Z',
      to: '2046-07-01T00:00:00Z',
      pageSize: '200',
    });
    expect(bulk.rows).toHaveLength(200);
    expect(bulk.total).toBe(COUNT_LIMIT);
    expect(bulk.totalIsLowerBound).toBe(true);
    expect(bulk.nextCursor).not.toBeNull();
    // Exactly COUNT_LIMIT matches (seconds 1 to 10,000) are counted exactly.
    const exact = await search({ user: BULK, from: '2046-06-01T00:00:01Z', to: '2046-06-01T02:46:41Z' });
    expect(exact.total).toBe(COUNT_LIMIT);
    expect(exact.totalIsLowerBound).toBe(false);
  });
});

describe('GET /api/v1/events?kind=file', () => {
  it('filters file events by pod and namespace, path wildcard and action', async () => {
    const pod = await search({ kind: 'file', pod: POD, namespace: NS, ...DAY });
    expect(fileKeysOf(pod)).toEqual(['FE4', 'FE2', 'FE1']);
    expect(pod.total).toBe(3);
    expect(pod.rows[1]).toMatchObject({
      kind: 'file',
      path: '/etc/passwd',
      action: 'write',
      processName: 'sh',
      processUser: 'app',
      podName: POD,
      namespace: NS,
      cluster: CLUSTER,
    } satisfies Partial<FileEventRow>);
    expect(fileKeysOf(await search({ kind: 'file', pod: POD, path: '/var/run/secrets/*', ...DAY }))).toEqual([
      'FE3',
      'FE1',
    ]);
    expect(fileKeysOf(await search({ kind: 'file', pod: POD, action: 'write', ...DAY }))).toEqual(['FE2']);
    expect(fileKeysOf(await search({ kind: 'file', namespace: NS_Q, ...DAY }))).toEqual(['FE3']);
    expect(fileKeysOf(await search({ kind: 'file', pod: POD, processUser: 'app', order: 'asc', ...DAY }))).toEqual([
      'FE2',
    ]);
  });
});

describe('GET /api/v1/events: validation', () => {
  const rejects = async (query: string, message: string | RegExp) => {
    const response = await list(query);
    expect(response.status, query).toBe(400);
    const { error } = await response.json();
    if (typeof message === 'string') expect(error).toBe(message);
    else expect(error).toMatch(message);
  };

  it('answers 400 naming the field', async () => {
    await rejects('kind=file&user=alice', 'filter.user: not a field of file events');
    await rejects('kind=audit&path=/etc', 'filter.path: not a field of audit events');
    await rejects('cursor=yesterday', /^cursor: cursor must be <ISO time>_<id>/);
    await rejects('outcome=maybe', 'filter.outcome: outcome must be allowed, forbidden or other');
    await rejects('responseCode=40', 'filter.responseCode: responseCode must be a three-digit HTTP status');
    await rejects(
      'from=2046-04-01T10:00:00Z&to=2046-04-01T10:00:00Z',
      'from: must be before the end of the range (to)',
    );
    await rejects(
      'from=2046-04-02T00:00:00Z&to=2046-04-01T00:00:00Z',
      'from: must be before the end of the range (to)',
    );
    await rejects('from=soon', /^from: /);
    await rejects('pageSize=30', 'pageSize: pageSize must be 25, 50, 100 or 200');
    await rejects('kind=metrics', /^kind: /);
    await rejects(`user=${'x'.repeat(1025)}`, /^filter\.user: /);
  });

  it('answers 400, not a server error, for a cursor that looks right but is no time or id', async () => {
    await rejects('cursor=2046-13-45T99:99:99Z_1', /^cursor: /);
    await rejects('cursor=2046-04-01T10:00:00.000Z_9999999999999999999', /^cursor: /);
  });

  it('answers 401 without credentials', async () => {
    const response = await list(`user=${encodeURIComponent(USER)}`, {});
    expect(response.status).toBe(401);
  });
});

describe('GET /api/v1/events/:id', () => {
  const detail = (id: string, query = '', headers: Record<string, string> = viewer.headers) =>
    getEvent(new Request(`${BASE}/${id}${query}`, { headers }), { params: Promise.resolve({ id }) });
  async function read(id: string, query = ''): Promise<EventDetail> {
    const response = await detail(id, query);
    expect(response.status, await response.clone().text()).toBe(200);
    return response.json();
  }
  const auditKeys = (rows: { id: string }[]) =>
    rows.map((row) => Object.entries(ids).find(([, id]) => id === row.id)?.[0] ?? `?${row.id}`);
  const fileKeys = (rows: { id: string }[]) =>
    rows.map((row) => Object.entries(fileIds).find(([, id]) => id === row.id)?.[0] ?? `?${row.id}`);

  it("returns the original document and the same user's requests within 5 minutes either side", async () => {
    const event = await read(ids.E4!, '?kind=audit');
    expect(event.event).toMatchObject({ kind: 'audit', id: ids.E4, username: USER, name: 'cfg_1-a' });
    expect(JSON.parse(event.original!)).toEqual({ ResponseComplete: userEvents.E4 });
    expect(event.identity).toEqual({ field: 'user', value: USER });
    expect(event.around.from).toBe('2046-04-01T09:58:00.000Z');
    expect(event.around.to).toBe('2046-04-01T10:08:00.000Z');
    // E0 is 6 minutes before; X1 is another user's at the same time; E9 is exactly 5 minutes after.
    expect(auditKeys(event.around.audit)).toEqual(['E1', 'E2', 'E3', 'E4', 'E5', 'E6', 'E7', 'E8', 'E9']);
    expect(event.around.file).toEqual([]);
  });

  it("defaults to an audit event; for a pod's request, adds the pod's file events within 5 minutes", async () => {
    const event = await read(ids.S1!);
    expect(event.identity).toEqual({ field: 'user', value: SA });
    expect(JSON.parse(event.original!)).toEqual({ ResponseComplete: podEvents.S1 });
    // S3 is 6 minutes after.
    expect(auditKeys(event.around.audit)).toEqual(['S1', 'S2']);
    // FE3 is the same pod name in another namespace; FE4 is 6 minutes after.
    expect(fileKeys(event.around.file)).toEqual(['FE1', 'FE2']);
    // The requesting pod, under its service account's namespace: the file events' link filters on both.
    expect(event.around.pod).toEqual({ namespace: NS, name: POD });
  });

  it("reads a file event, with its pod's requests and file events around it", async () => {
    const event = await read(fileIds.FE2!, '?kind=file');
    expect(event.event).toMatchObject({ kind: 'file', id: fileIds.FE2, path: '/etc/passwd', podName: POD });
    expect(JSON.parse(event.original!)).toMatchObject({ file: { path: '/etc/passwd' } });
    expect(event.identity).toEqual({ field: 'pod', value: POD, namespace: NS });
    // 10:07 to 10:17: the pod's S1, S2, S3; FE3 is another namespace's.
    expect(auditKeys(event.around.audit)).toEqual(['S1', 'S2', 'S3']);
    expect(fileKeys(event.around.file)).toEqual(['FE1', 'FE2', 'FE4']);
  });

  it('answers 404 for an id that does not exist (of either kind), 400 for one that is not a number', async () => {
    const missing = await detail('987654321987', '?kind=audit');
    expect(missing.status).toBe(404);
    expect((await missing.json()).error).toBe('no audit event 987654321987');
    // An audit event's id is not a file event's.
    const maxId = await pool.query<{ id: string }>(`SELECT coalesce(max(id), 0)::text AS id FROM file_events`);
    expect((await detail(String(BigInt(maxId.rows[0]!.id) + 1000n), '?kind=file')).status).toBe(404);
    expect((await detail('9223372036854775807')).status).toBe(404);
    for (const id of ['abc', '12a', '-1', '1.5']) {
      const response = await detail(id);
      expect(response.status, id).toBe(400);
      expect((await response.json()).error).toBe('id: an event id is a number');
    }
    expect((await detail('9999999999999999999')).status).toBe(400);
    expect((await detail(ids.E1!, '?kind=metrics')).status).toBe(400);
  });

  it('answers 401 without credentials', async () => {
    expect((await detail(ids.E1!, '', {})).status).toBe(401);
  });
});

describe('the request URI filter', () => {
  it('reads an index for an exact URI and for a `*` after a fixed beginning, not every row of the range', async () => {
    const { buildEventFilterSql } = await import('../../lib/events/event-filter-sql');
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      // A small table makes a sequential scan the cheaper plan; forbid it to see whether an index can serve.
      await client.query('SET LOCAL enable_seqscan = off');
      for (const requestUri of [`/api/v1/namespaces/${NS1}/secrets/db`, `/api/v1/namespaces/${NS1}/secrets*`]) {
        const sql = buildEventFilterSql({ kind: 'audit', filter: { requestUri }, order: 'desc' });
        const plan = await client.query(`EXPLAIN SELECT e.id FROM ${sql.table} WHERE ${sql.where}`, sql.params);
        const text = plan.rows.map((row) => row['QUERY PLAN']).join('\n');
        expect(text, requestUri).toMatch(
          /Index (Only )?Scan using \S*request_uri\S*|Bitmap Index Scan on \S*request_uri\S*/,
        );
      }
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
  });
});
