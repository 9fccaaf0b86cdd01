// Rollups against raw rows: every rollup-backed answer (entity profiles of users, source IPs and pods over
// ranges with partial-hour edges, the overview's secret access and event count) equals the same answer
// computed from audit_events by hand-written SQL, on one generated dataset (two clusters, both stages of
// most requests, secrets got, listed and watched, allowed, denied and neither) — after re-ingesting it
// (nothing changes), late events into old hours, overlapping concurrent uploads and second stages that
// merge into stored requests. A dropped partition takes raw rows, never rollups.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEntitySql } from '../../lib/entities/entity-sql';
import { countEventsOverTime } from '../../lib/events/count-events-over-time';
import { searchEvents } from '../../lib/events/search-events';
import { eventQuerySchema } from '../../lib/events/schemas';
import { readEntityProfile, type EntityProfile } from '../../lib/entities/read-entity';
import type { Entity } from '../../lib/entities/schemas';
import { ingestStream } from '../../lib/ingest/ingest-stream';
import { readOverviewCounts } from '../../lib/overview/read-overview-counts';
import { readSecretAccess, type OverviewRange } from '../../lib/overview/read-overview';
import { dropPartition } from '../../lib/storage/partitions';
import { chooseBucketMinutes, chooseChartBuckets } from '../../lib/time-range';
import { bothStages, bytesOf, ndjson, type NativeEvent } from '../support/audit-events';
import { auditRequest } from '../support/investigation-events';
import { seededRandom } from '../support/random';
import { openTestDatabase } from '../support/test-database';

const database = await openTestDatabase('rollups');
const { pool } = database;
afterAll(() => database.close());

const CLUSTERS = ['prod-east', 'prod-west'] as const;
const HUMANS = ['alice@corp.example', "o'neil+ops@corp.example"];
const PODS = [
  { namespace: 'shop', pod: 'web-1', sa: 'system:serviceaccount:shop:web', node: 'node-a' },
  { namespace: 'shop', pod: 'web-2', sa: 'system:serviceaccount:shop:web', node: 'node-b' },
  { namespace: 'ci', pod: 'runner-7', sa: 'system:serviceaccount:ci:runner', node: 'node-a' },
];
const IPS = ['198.51.100.7', '2001:db8::9', '10.0.3.7'];
const AGENTS = ['kubectl/v1.30.2', 'curl/8.5.0', 'client-go/v0.30'];
const SECRETS = ['db-credentials', 'api-token', 'tls-cert', 'registry'];
const REASONS = [
  'RBAC: allowed by ClusterRoleBinding "ops-admin" of ClusterRole "admin" to User "alice@corp.example"',
  'RBAC: allowed by RoleBinding "web-reader/shop" of Role "secret-reader" to ServiceAccount "web/shop"',
  'allowed by a webhook',
];
const DAY_START = Date.parse('2047-05-01T00:00:00Z');
const HOUR = 3_600_000;

type Generated = { cluster: string; event: NativeEvent };

/** `count` requests over two days; the time is ms-precise and falls anywhere in an hour. */
function generate(seed: number, count: number, start = DAY_START, spanHours = 48): Generated[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const asPod = random.chance(0.5);
    const pod = random.pick(PODS);
    const resource = random.chance(0.6) ? 'secrets' : random.pick(['configmaps', 'pods', 'namespaces']);
    const verb = resource === 'secrets' ? random.pick(['get', 'get', 'list', 'watch']) : random.pick(['get', 'list']);
    const code = random.pick([200, 200, 200, 403, 404, 500]);
    const decision = code === 403 ? 'forbid' : code === 500 ? null : 'allow';
    const event = auditRequest({
      time: new Date(start + random.int(0, spanHours * HOUR - 1)).toISOString(),
      user: asPod ? pod.sa : random.pick(HUMANS),
      verb,
      resource,
      namespace: resource === 'namespaces' ? null : random.pick(['shop', 'ci', 'kube-system']),
      name: verb === 'get' ? random.pick(SECRETS) : null,
      code,
      decision,
      sourceIPs: random.chance(0.3) ? ['203.0.113.1', random.pick(IPS)] : [random.pick(IPS)],
      userAgent: random.chance(0.1) ? undefined : random.pick(AGENTS),
      podName: asPod ? pod.pod : undefined,
      nodeName: asPod ? pod.node : undefined,
    });
    if (decision === 'allow' && random.chance(0.7))
      (event.annotations as Record<string, string>)['authorization.k8s.io/reason'] = random.pick(REASONS);
    return { cluster: random.pick(CLUSTERS), event };
  });
}

async function ingest(events: Generated[]) {
  const summaries = [];
  for (const cluster of CLUSTERS) {
    const records = events.filter((row) => row.cluster === cluster).map((row) => row.event);
    if (records.length === 0) continue;
    const summary = await ingestStream(
      bytesOf(ndjson(records)),
      { source: 'cli', format: 'k8s-audit', cluster },
      { pool },
    );
    expect(summary.status).toBe('completed');
    expect(summary.rejected).toBe(0);
    summaries.push(summary);
  }
  return summaries;
}

const ENTITIES: Entity[] = [
  ...HUMANS.map((name) => ({ kind: 'user' as const, name })),
  { kind: 'user', name: 'system:serviceaccount:shop:web' },
  ...IPS.map((ip) => ({ kind: 'ip' as const, ip })),
  ...PODS.map((pod) => ({ kind: 'pod' as const, namespace: pod.namespace, name: pod.pod })),
];

const RANGES = [
  // Whole hours only, all of the data.
  { from: '2047-04-29T00:00:00.000Z', to: '2047-05-04T00:00:00.000Z' },
  // Partial hours at both ends; hourly buckets start on the hour, so only the edges are raw.
  { from: '2047-05-01T03:17:12.345Z', to: '2047-05-02T01:42:00.000Z' },
  // A day on the hour: hourly buckets, all from rollups.
  { from: '2047-05-01T06:00:00.000Z', to: '2047-05-02T06:00:00.000Z' },
  // Six-hour buckets over a range that starts off the hour.
  { from: '2047-04-30T22:30:00.000Z', to: '2047-05-03T00:10:00.000Z' },
  // Under an hour, and under a day (15-minute buckets): raw rows only.
  { from: '2047-05-01T10:05:00.000Z', to: '2047-05-01T10:55:00.000Z' },
  { from: '2047-05-01T08:00:00.000Z', to: '2047-05-01T20:00:00.000Z' },
];

type Counts = { allowed: number; forbidden: number; other: number };
const OUTCOME = `vigil_request_outcome(e.decision, e.response_code)`;
const COUNTS = `count(*) FILTER (WHERE ${OUTCOME} = 'allowed')::int AS allowed,
  count(*) FILTER (WHERE ${OUTCOME} = 'forbidden')::int AS forbidden,
  count(*) FILTER (WHERE ${OUTCOME} = 'other')::int AS other`;
const sorted = <T>(rows: T[]) => [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
const iso = (time: Date | null) => time?.toISOString() ?? null;

/** Buckets of an hour or more start on the UTC hour (a day's on midnight), as the entity charts' and the explorer's do. */
const ALIGNED_ORIGIN = (
  from: string,
  minutes: string,
) => `CASE WHEN ${minutes} >= 1440 THEN date_trunc('day', ${from}, 'UTC')
  WHEN ${minutes} >= 60 THEN date_trunc('hour', ${from}, 'UTC') ELSE ${from} END`;

/** The profile's counted panels, straight from audit_events. */
async function rawProfile(entity: Entity, from: string, to: string, bucketMinutes: number) {
  const sql = buildEntitySql(entity);
  const n = sql.params.length;
  const where = `${sql.audit} AND e.time >= $${n + 1} AND e.time < $${n + 2}`;
  const params = [...sql.params, from, to];
  const query = <T extends object>(text: string, extra: unknown[] = []) =>
    pool.query<T>(text, [...params, ...extra]).then((result) => result.rows);
  const seen = await query<{ kind: string; value: string; count: number; last: Date }>(
    // Each "seen with" list: value, requests, last seen.
    `SELECT 'userAgent' AS kind, e.user_agent AS value, count(*)::int AS count, max(e.time) AS last
       FROM audit_events e WHERE ${where} AND e.user_agent IS NOT NULL GROUP BY 2
     UNION ALL SELECT 'sourceIp', e.source_ip, count(*)::int, max(e.time)
       FROM audit_events e WHERE ${where} AND e.source_ip IS NOT NULL GROUP BY 2
     UNION ALL SELECT 'username', e.username, count(*)::int, max(e.time)
       FROM audit_events e WHERE ${where} AND e.username IS NOT NULL GROUP BY 2
     UNION ALL SELECT 'node', e.node_name, count(*)::int, max(e.time)
       FROM audit_events e WHERE ${where} AND e.node_name IS NOT NULL GROUP BY 2`,
  );
  const seenOf = (kind: string) =>
    sorted(
      seen
        .filter((row) => row.kind === kind)
        .map((row) => ({ value: row.value, count: row.count, lastSeen: iso(row.last) })),
    );
  const [totals] = await query<Counts & { events: number }>(
    `SELECT count(*)::int AS events, ${COUNTS} FROM audit_events e WHERE ${where}`,
  );
  const activity = await query<Counts & { start: Date }>(
    `SELECT date_bin(make_interval(mins => $${n + 3}), e.time, ${ALIGNED_ORIGIN(`$${n + 1}::timestamptz`, `$${n + 3}`)})
        AS start, ${COUNTS}
       FROM audit_events e WHERE ${where} GROUP BY 1`,
    [bucketMinutes],
  );
  const verbs = await query<Counts & { resource: string | null; verb: string; total: number }>(
    `SELECT e.resource, e.verb, count(*)::int AS total, ${COUNTS} FROM audit_events e WHERE ${where} GROUP BY 1, 2`,
  );
  const secrets = await query<Counts & { namespace: string | null; name: string | null; verbs: string[] } & object>(
    `SELECT e.namespace, e.name, array_agg(DISTINCT e.verb ORDER BY e.verb) AS verbs, min(e.time) AS first,
        max(e.time) AS last, ${COUNTS}
       FROM audit_events e WHERE ${where} AND e.resource = 'secrets' GROUP BY 1, 2`,
  );
  const pods = await query<{ namespace: string | null; name: string; count: number; last: Date }>(
    `SELECT CASE WHEN e.username ~ '^system:serviceaccount:[^:]+:[^:]+$' THEN split_part(e.username, ':', 3) END
        AS namespace, e.pod_name AS name, count(*)::int AS count, max(e.time) AS last
       FROM audit_events e WHERE ${where} AND e.pod_name IS NOT NULL GROUP BY 1, 2`,
  );
  const bindings = await query<{
    kind: string;
    name: string;
    namespace: string | null;
    role_kind: string;
    role_name: string;
    count: number;
    last: Date;
  }>(
    `SELECT e.rbac_binding_kind AS kind, e.rbac_binding_name AS name, e.rbac_binding_namespace AS namespace,
        e.rbac_role_kind AS role_kind, e.rbac_role_name AS role_name, count(*)::int AS count, max(e.time) AS last
       FROM audit_events e WHERE ${where} AND e.reason_parsed GROUP BY 1, 2, 3, 4, 5`,
  );
  const [unparsed] = await query<{ count: number }>(
    `SELECT count(*)::int AS count FROM audit_events e WHERE ${where} AND e.reason_parsed = false`,
  );
  const [span] = await pool
    .query<{ first: Date | null; last: Date | null }>(
      `SELECT min(e.time) AS first, max(e.time) AS last FROM audit_events e WHERE ${sql.audit}`,
      sql.params,
    )
    .then((result) => result.rows);
  return {
    firstSeen: iso(span!.first),
    lastSeen: iso(span!.last),
    totals: totals!,
    activity: sorted(
      activity
        .filter((row) => row.allowed + row.forbidden + row.other > 0)
        .map((row) => ({ start: iso(row.start), allowed: row.allowed, forbidden: row.forbidden, other: row.other })),
    ),
    verbsByResource: sorted(verbs),
    secrets: sorted(
      secrets.map((row) => {
        const { first, last, ...rest } = row as typeof row & { first: Date; last: Date };
        return { ...rest, firstSeen: iso(first), lastSeen: iso(last) };
      }),
    ),
    userAgents: seenOf('userAgent'),
    sourceIps: entity.kind === 'ip' ? [] : seenOf('sourceIp'),
    users: entity.kind === 'user' ? [] : seenOf('username'),
    pods:
      entity.kind === 'ip' || (entity.kind === 'user' && entity.name.startsWith('system:serviceaccount:'))
        ? sorted(
            pods.map((row) => ({
              namespace: row.namespace,
              name: row.name,
              count: row.count,
              lastSeen: iso(row.last),
            })),
          )
        : [],
    nodes: seenOf('node'),
    bindings: {
      rows: sorted(
        bindings.map((row) => ({
          bindingKind: row.kind,
          bindingName: row.name,
          bindingNamespace: row.namespace,
          roleKind: row.role_kind,
          roleName: row.role_name,
          count: row.count,
          lastSeen: iso(row.last),
        })),
      ),
      unparsed: unparsed!.count,
    },
  };
}

/** The same panels of a rollup-backed profile, in the raw answer's order. */
function comparable(profile: EntityProfile) {
  return {
    firstSeen: profile.firstSeen,
    lastSeen: profile.lastSeen,
    totals: profile.totals,
    activity: sorted(profile.activity.buckets.filter((bucket) => bucket.allowed + bucket.forbidden + bucket.other > 0)),
    verbsByResource: sorted(profile.verbsByResource),
    secrets: sorted(profile.secrets),
    userAgents: sorted(profile.userAgents),
    sourceIps: sorted(profile.sourceIps),
    users: sorted(profile.users),
    pods: sorted(profile.pods),
    nodes: sorted(profile.nodes),
    bindings: { rows: sorted(profile.bindings.rows), unparsed: profile.bindings.unparsed },
  };
}

async function expectEntitiesMatchRaw() {
  let nonEmpty = 0;
  for (const entity of ENTITIES)
    for (const range of RANGES) {
      const profile = await readEntityProfile(pool, entity, range);
      const expected = await rawProfile(entity, range.from, range.to, profile.activity.bucketMinutes);
      expect(comparable(profile), `${JSON.stringify(entity)} ${range.from}–${range.to}`).toEqual(expected);
      if (profile.totals.events > 0) nonEmpty++;
    }
  expect(nonEmpty).toBeGreaterThan(ENTITIES.length * 4);
}

function overviewRange(from: string, to: string): OverviewRange {
  const range = { from: new Date(from), to: new Date(to) };
  return { ...range, explicit: true, ...chooseChartBuckets(range.from, range.to), latestEventAt: null };
}

async function expectOverviewMatchesRaw() {
  for (const { from, to } of RANGES) {
    const range = overviewRange(from, to);
    const answer = await readSecretAccess(pool, range);
    const raw = await pool.query<{ start: Date; allowed: number; forbidden: number; other: number }>(
      `SELECT date_bin(make_interval(mins => $3), e.time, $4::timestamptz) AS start, ${COUNTS}
         FROM audit_events e WHERE e.resource = 'secrets' AND e.time >= $1 AND e.time < $2 GROUP BY 1`,
      [range.from, range.to, range.bucketMinutes, range.bucketOrigin],
    );
    expect(
      answer.buckets.filter((bucket) => bucket.allowed + bucket.forbidden + bucket.other > 0),
      `secret access ${from}–${to}`,
    ).toEqual(
      raw.rows
        .map((row) => ({ start: iso(row.start), allowed: row.allowed, forbidden: row.forbidden, other: row.other }))
        .sort((a, b) => (a.start! < b.start! ? -1 : 1)),
    );
  }
  const [stored] = (await pool.query<{ count: number }>(`SELECT count(*)::int AS count FROM audit_events`)).rows;
  expect((await readOverviewCounts(database.db)).auditEvents).toBe(stored!.count);
  await expectHistogramsMatchRaw();
}

// Filters the rollups answer (their whole hours), and two they cannot: a wildcard, a field no rollup holds.
const EXPLORER_FILTERS = [
  { sql: 'TRUE', filter: {} },
  { sql: `e.cluster = 'prod-east'`, filter: { cluster: 'prod-east' } },
  {
    sql: `e.resource = 'secrets' AND ${OUTCOME} = 'forbidden'`,
    filter: { resource: 'secrets', outcome: 'forbidden' },
  },
  { sql: `e.username = '${HUMANS[0]}'`, filter: { user: HUMANS[0]! } },
  {
    sql: `e.username = 'o''neil+ops@corp.example' AND e.verb = 'get' AND e.cluster = 'prod-west'`,
    filter: { user: HUMANS[1]!, verb: 'get', cluster: 'prod-west' },
  },
  {
    sql: `e.source_ip = '${IPS[0]}' AND ${OUTCOME} = 'forbidden'`,
    filter: { sourceIp: IPS[0]!, outcome: 'forbidden' },
  },
  { sql: `e.cluster LIKE 'prod-%' AND e.verb = 'get'`, filter: { cluster: 'prod-*', verb: 'get' } },
  {
    sql: `e.username = '${HUMANS[0]}' AND e.namespace = 'shop'`,
    filter: { user: HUMANS[0]!, namespace: 'shop' },
  },
];

/** The explorer's histogram: from the rollups when its filter allows, from raw rows else; each as hand-written SQL counts it. */
async function expectHistogramsMatchRaw() {
  for (const { sql, filter } of EXPLORER_FILTERS)
    for (const { from, to } of RANGES) {
      const histogram = await countEventsOverTime(pool, eventQuerySchema.parse({ kind: 'audit', filter, from, to }));
      const raw = await pool.query<{ start: Date; allowed: number; forbidden: number; other: number }>(
        `SELECT date_bin(make_interval(mins => $3), e.time, ${ALIGNED_ORIGIN('$1::timestamptz', '$3')}) AS start,
            ${COUNTS}
           FROM audit_events e WHERE ${sql} AND e.time >= $1 AND e.time < $2 GROUP BY 1`,
        [from, to, chooseBucketMinutes(new Date(from), new Date(to))],
      );
      const expected = raw.rows
        .map((row) => ({ start: iso(row.start), allowed: row.allowed, forbidden: row.forbidden, other: row.other }))
        .sort((a, b) => (a.start! < b.start! ? -1 : 1));
      const nonEmpty = (histogram?.buckets ?? []).filter(
        (bucket) => bucket.allowed! + bucket.forbidden! + bucket.other! > 0,
      );
      expect(nonEmpty, `histogram ${JSON.stringify(filter)} ${from}–${to}`).toEqual(expected);
    }
  // Without a range the histogram spans the first match to the last, to the minute.
  for (const { sql, filter } of EXPLORER_FILTERS) {
    const histogram = await countEventsOverTime(pool, eventQuerySchema.parse({ kind: 'audit', filter }));
    const span = await pool.query<{ from: Date | null; to: Date | null; count: number }>(
      `SELECT date_trunc('minute', min(e.time)) AS from, date_trunc('minute', max(e.time)) + interval '1 minute' AS to,
          count(*)::int AS count
         FROM audit_events e WHERE ${sql}`,
    );
    const { from, to, count } = span.rows[0]!;
    expect(count, JSON.stringify(filter)).toBeGreaterThan(0);
    expect(
      histogram && { from: histogram.from, to: histogram.to, total: histogram.total },
      `histogram ${JSON.stringify(filter)}`,
    ).toEqual({ from: iso(from), to: iso(to), total: count });
  }
  await expectSearchMatchesRaw();
}

/**
 * The explorer's pages and count: the rollups bound how far a page reads and count whole hours, so
 * walking every page either way must list exactly the rows hand-written SQL orders, once each.
 */
async function expectSearchMatchesRaw() {
  const ranges: { from?: string; to?: string }[] = [{}, RANGES[1]!, RANGES[3]!, RANGES[4]!];
  for (const { sql, filter } of EXPLORER_FILTERS)
    for (const range of ranges)
      for (const order of ['desc', 'asc'] as const) {
        const clauses = [sql];
        const params: string[] = [];
        if (range.from) clauses.push(`e.time >= $${params.push(range.from)}`);
        if (range.to) clauses.push(`e.time < $${params.push(range.to)}`);
        const raw = await pool.query<{ id: string }>(
          `SELECT e.id FROM audit_events e WHERE ${clauses.join(' AND ')} ORDER BY e.time ${order}, e.id ${order}`,
          params,
        );
        const listed: string[] = [];
        let cursor: string | undefined;
        let total: number | undefined;
        do {
          const page = await searchEvents(
            pool,
            eventQuerySchema.parse({ kind: 'audit', filter, ...range, order, pageSize: 25, cursor }),
          );
          total ??= page.total;
          listed.push(...page.rows.map((row) => row.id));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        const what = `search ${JSON.stringify(filter)} ${JSON.stringify(range)} ${order}`;
        expect(listed, what).toEqual(raw.rows.map((row) => row.id));
        expect(total, what).toBe(raw.rows.length);
      }
}

/** Every rollup row, for "nothing changed" checks. */
async function snapshotRollups() {
  const tables = [
    'entity_rollups',
    'entity_secret_rollups',
    'entity_peer_rollups',
    'entity_binding_rollups',
    'cluster_rollups',
  ];
  const snapshot: Record<string, unknown[]> = {};
  for (const table of tables)
    snapshot[table] = (await pool.query(`SELECT * FROM ${table} ORDER BY 1, 2, 3, 4, 5, 6, 7`)).rows;
  return snapshot;
}

async function expectNoEmptyGroups() {
  for (const table of ['entity_rollups', 'entity_secret_rollups', 'entity_peer_rollups', 'cluster_rollups'])
    expect((await pool.query(`SELECT 1 FROM ${table} WHERE count <= 0`)).rows, table).toEqual([]);
}

// Most requests log both stages in one file; a quarter only RequestReceived (completed later), a few only their end.
const requests = generate(16, 700);
const completions: Generated[] = [];
const firstFile: Generated[] = [];
requests.forEach((row, index) => {
  const [received, complete] = bothStages(row.event);
  if (index % 4 === 0) {
    firstFile.push({ cluster: row.cluster, event: received });
    completions.push({ cluster: row.cluster, event: complete });
  } else if (index % 9 === 1) firstFile.push(row);
  else firstFile.push({ cluster: row.cluster, event: received }, { cluster: row.cluster, event: complete });
});

describe('rollups', () => {
  beforeAll(async () => {
    await ingest(firstFile);
  }, 120_000);

  it('answer every entity page, the secret-access chart and the event count as raw rows do', async () => {
    const [{ count }] = (await pool.query<{ count: number }>(`SELECT count(*)::int AS count FROM audit_events`))
      .rows as [{ count: number }];
    expect(count).toBe(requests.length);
    await expectEntitiesMatchRaw();
    await expectOverviewMatchesRaw();
  }, 120_000);

  it('gain nothing from the same file ingested again', async () => {
    const before = await snapshotRollups();
    const summaries = await ingest(firstFile);
    expect(summaries.reduce((sum, summary) => sum + summary.stored, 0)).toBe(0);
    expect(await snapshotRollups()).toEqual(before);
  }, 120_000);

  it('take late events into old hours, a new day included, and overlapping concurrent uploads', async () => {
    const late = generate(17, 120, DAY_START - 24 * HOUR, 72);
    await ingest(late);
    const overlapping = generate(18, 200);
    const half = overlapping.slice(50);
    await Promise.all([ingest(overlapping.slice(0, 150)), ingest(half)]);
    await expectEntitiesMatchRaw();
    await expectOverviewMatchesRaw();
  }, 180_000);

  it('move a request between outcomes when its second stage merges into the stored row', async () => {
    const before = await pool.query<{ other: number }>(
      `SELECT coalesce(sum(count), 0)::int AS other FROM cluster_rollups WHERE outcome = 'other'`,
    );
    await ingest(completions);
    const after = await pool.query<{ other: number }>(
      `SELECT coalesce(sum(count), 0)::int AS other FROM cluster_rollups WHERE outcome = 'other'`,
    );
    expect(after.rows[0]!.other).toBeLessThan(before.rows[0]!.other);
    await expectNoEmptyGroups();
    await expectEntitiesMatchRaw();
    await expectOverviewMatchesRaw();
  }, 180_000);

  it('give back what a row DELETE takes (nothing in Vigil deletes rows; an operator might)', async () => {
    const deleted = await pool.query(
      `DELETE FROM audit_events WHERE cluster = $1 AND time >= '2047-05-02T05:00:00Z' AND time < '2047-05-02T09:30:00Z'`,
      [CLUSTERS[1]],
    );
    expect(deleted.rowCount).toBeGreaterThan(10);
    await expectNoEmptyGroups();
    await expectEntitiesMatchRaw();
    await expectOverviewMatchesRaw();
  }, 180_000);

  it('outlive the raw events of a partition that retention drops', async () => {
    const before = await snapshotRollups();
    const counts = await readOverviewCounts(database.db);
    await dropPartition(pool, { day: '2047-05-01', cluster: CLUSTERS[0] });
    const left = await pool.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM audit_events WHERE cluster = $1 AND time >= '2047-05-01' AND time < '2047-05-02'`,
      [CLUSTERS[0]],
    );
    expect(left.rows[0]!.count).toBe(0);
    expect(await snapshotRollups()).toEqual(before);
    expect((await readOverviewCounts(database.db)).auditEvents).toBe(counts.auditEvents);
    // The explorer lists what is stored: its histogram leaves out the dropped day's rollups.
    await expectHistogramsMatchRaw();
    // The day's hours still answer from the rollups.
    const profile = await readEntityProfile(pool, { kind: 'user', name: HUMANS[0]! }, RANGES[2]!);
    const rolled = await pool.query<{ count: number }>(
      `SELECT coalesce(sum(count), 0)::int AS count FROM entity_rollups
        WHERE entity_kind = 'user' AND entity_name = $1 AND hour >= $2 AND hour < $3`,
      [HUMANS[0], RANGES[2]!.from, RANGES[2]!.to],
    );
    expect(profile.totals.events).toBe(rolled.rows[0]!.count);
    expect(profile.totals.events).toBeGreaterThan(0);
  }, 120_000);

  it('leave out of the explorer a partition a killed retention run detached but did not drop', async () => {
    const names = await pool.query<{ day_table: string; leaf: string }>(
      `SELECT vigil_partition_name('audit_events', '2047-05-02', NULL) AS day_table,
          vigil_partition_name('audit_events', '2047-05-02', $1) AS leaf`,
      [CLUSTERS[1]],
    );
    const { day_table: dayTable, leaf } = names.rows[0]!;
    await pool.query(`ALTER TABLE "${dayTable}" DETACH PARTITION "${leaf}"`);
    const kept = await pool.query<{ count: number }>(`SELECT count(*)::int AS count FROM "${leaf}"`);
    expect(kept.rows[0]!.count).toBeGreaterThan(10);
    await expectHistogramsMatchRaw();
  }, 120_000);
});
