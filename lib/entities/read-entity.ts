// An entity's profile over a time range: what the user, source IP or pod did (by outcome, over
// time, verb × resource), which secrets it touched, what it was seen with, its alerts and, for a
// pod, its file activity.
import type pg from 'pg';
import { serviceAccountNamespaceSql } from '../vocabulary/service-account';
import { OUTCOME_SQL } from '../events/outcome-sql';
import { ALERT_ROW_COLUMNS, ALERT_ROW_FROM, toAlertRow, type AlertRow } from '../alerts/list-alerts';
import { FILE_EVENT_COLUMNS, toFileEventRow, type FileEventRow } from '../events/search-events';
import { chooseBucketMinutes, fillBuckets, resolveTimeRange, type TimeRange, type TimeRangeInput } from '../time-range';
import { isServiceAccount } from './entity-links';
import { buildEntitySql } from './entity-sql';
import type { Entity, EntityView } from './schemas';

export type OutcomeCounts = { allowed: number; forbidden: number; other: number };
export type SeenValue = { value: string; count: number; lastSeen: string };
export type SeenPod = { namespace: string | null; name: string; count: number; lastSeen: string };

export type EntityProfile = {
  entity: Entity;
  /** The one cluster the profile is narrowed to, if any. */
  cluster: string | null;
  /** Every cluster the entity made requests in over the range (whatever `cluster` is), most requests first. */
  clusters: SeenValue[];
  range: { from: string; to: string; explicit: boolean };
  /** Over all stored time, so an analyst knows whether the range shows everything. */
  firstSeen: string | null;
  lastSeen: string | null;
  totals: OutcomeCounts & { events: number };
  activity: { bucketMinutes: number; buckets: ({ start: string } & OutcomeCounts)[] };
  verbsByResource: ({ resource: string | null; verb: string; total: number } & OutcomeCounts)[];
  secrets: ({
    namespace: string | null;
    /** null: a list or watch over every secret of the namespace. */
    name: string | null;
    verbs: string[];
    firstSeen: string;
    lastSeen: string;
  } & OutcomeCounts)[];
  userAgents: SeenValue[];
  sourceIps: SeenValue[];
  /** The identities behind a source IP or a pod. */
  users: SeenValue[];
  /** For service accounts and source IPs: the pods whose tokens made the requests. */
  pods: SeenPod[];
  nodes: SeenValue[];
  /** The RBAC bindings its allowed requests went through (parsed at ingest), and reasons that did not parse. */
  bindings: {
    rows: {
      bindingKind: string;
      bindingName: string;
      bindingNamespace: string | null;
      roleKind: string;
      roleName: string;
      count: number;
      lastSeen: string;
    }[];
    unparsed: number;
  };
  alerts: { rows: AlertRow[]; total: number };
  /** Pods only. */
  fileEvents: { rows: FileEventRow[]; total: number } | null;
};

export const DEFAULT_ENTITY_DAYS = 1;
const LIST_LIMIT = 50;
const VERB_LIMIT = 200;
const SECRET_LIMIT = 500;
/** The newest few; the explorer holds the rest. */
const FILE_EVENT_LIMIT = 25;

const toCounts = (row: { allowed: number; forbidden: number; other: number }): OutcomeCounts => ({
  allowed: row.allowed,
  forbidden: row.forbidden,
  other: row.other,
});

/** The newest and oldest stored event of the entity (audit requests, and a pod's file events). */
async function readSeen(pool: pg.Pool, entity: Entity, cluster: string | undefined) {
  const sql = buildEntitySql(entity, cluster);
  const audit = pool.query<{ first: Date | null; last: Date | null }>(
    `SELECT min(e.time) AS first, max(e.time) AS last FROM audit_events e WHERE ${sql.audit}`,
    sql.params,
  );
  const files = sql.files
    ? pool.query<{ first: Date | null; last: Date | null }>(
        `SELECT min(f.time) AS first, max(f.time) AS last FROM file_events f WHERE ${sql.files}`,
        sql.params,
      )
    : null;
  const rows = [(await audit).rows[0]!, ...(files ? [(await files).rows[0]!] : [])];
  const times = (pick: 'first' | 'last') => rows.map((row) => row[pick]).filter((time): time is Date => time !== null);
  const first = times('first').sort((a, b) => a.getTime() - b.getTime())[0] ?? null;
  const last = times('last').sort((a, b) => b.getTime() - a.getTime())[0] ?? null;
  return { first, last };
}

type FacetRow = OutcomeCounts & {
  facet: 'totals' | 'activity' | 'verbs' | 'secrets' | 'userAgent' | 'sourceIp' | 'username' | 'pod' | 'node';
  start: Date | null;
  resource: string | null;
  verb: string | null;
  namespace: string | null;
  name: string | null;
  value: string | null;
  total: number;
  first: Date;
  last: Date;
};

/**
 * Every panel's counts from one pass over the entity's requests: a busy identity has tens of
 * thousands of rows scattered over the table, and reading them once per panel cost a heap scan each.
 * GROUPING SETS aggregates each facet from the same scan; `facet` says which set a row belongs to.
 */
function facetSql(entityWhere: string, n: number): string {
  return `
    SELECT CASE
        WHEN GROUPING(start) = 0 THEN 'activity'
        WHEN GROUPING(resource) = 0 THEN 'verbs'
        WHEN GROUPING(secret_namespace) = 0 THEN 'secrets'
        WHEN GROUPING(user_agent) = 0 THEN 'userAgent'
        WHEN GROUPING(source_ip) = 0 THEN 'sourceIp'
        WHEN GROUPING(username) = 0 THEN 'username'
        WHEN GROUPING(pod_name) = 0 THEN 'pod'
        WHEN GROUPING(node_name) = 0 THEN 'node'
        ELSE 'totals' END AS facet,
      start, resource, verb,
      coalesce(secret_namespace, pod_namespace) AS namespace, coalesce(secret_name, pod_name) AS name,
      coalesce(user_agent, source_ip, username, node_name) AS value,
      count(*)::int AS total,
      count(*) FILTER (WHERE outcome = 'allowed')::int AS allowed,
      count(*) FILTER (WHERE outcome = 'forbidden')::int AS forbidden,
      count(*) FILTER (WHERE outcome = 'other')::int AS other,
      min(time) AS first, max(time) AS last
    FROM (
      SELECT e.time, ${OUTCOME_SQL} AS outcome,
        date_bin(make_interval(mins => $${n + 3}), e.time, $${n + 1}::timestamptz) AS start,
        e.resource, e.verb, e.user_agent, e.source_ip, e.username, e.node_name, e.pod_name,
        e.resource = 'secrets' AS is_secret,
        CASE WHEN e.resource = 'secrets' THEN coalesce(e.namespace, '') END AS secret_namespace,
        CASE WHEN e.resource = 'secrets' THEN coalesce(e.name, '') END AS secret_name,
        ${serviceAccountNamespaceSql('e.username')} AS pod_namespace
      FROM audit_events e WHERE ${entityWhere} AND e.time >= $${n + 1} AND e.time < $${n + 2}
    ) r
    GROUP BY GROUPING SETS ((), (start), (resource, verb), (is_secret, secret_namespace, secret_name, verb),
      (user_agent), (source_ip), (username), (pod_namespace, pod_name), (node_name))`;
}

/** Most first, then by text: the order every "seen with" list and the matrix keep. */
const byCount =
  <T>(count: (row: T) => number, text: (row: T) => string) =>
  (a: T, b: T) =>
    count(b) - count(a) || (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0);

function seenValues(rows: FacetRow[]): SeenValue[] {
  return rows
    .filter((row) => row.value !== null)
    .map((row) => ({ value: row.value!, count: row.total, lastSeen: row.last.toISOString() }))
    .sort(
      byCount(
        (row) => row.count,
        (row) => row.value,
      ),
    )
    .slice(0, LIST_LIMIT);
}

/** The (namespace, name, verb) groups of secret requests, one row per secret with its verbs. */
function collectSecrets(rows: FacetRow[]): EntityProfile['secrets'] {
  const secrets = new Map<string, EntityProfile['secrets'][number]>();
  for (const row of rows) {
    if (row.namespace === null) continue; // the set's group of requests on other resources
    const key = `${row.namespace}\u0000${row.name}`;
    const secret = secrets.get(key) ?? {
      namespace: row.namespace || null,
      name: row.name || null,
      verbs: [],
      firstSeen: row.first.toISOString(),
      lastSeen: row.last.toISOString(),
      allowed: 0,
      forbidden: 0,
      other: 0,
    };
    secret.verbs.push(row.verb!);
    if (row.first.toISOString() < secret.firstSeen) secret.firstSeen = row.first.toISOString();
    if (row.last.toISOString() > secret.lastSeen) secret.lastSeen = row.last.toISOString();
    secret.allowed += row.allowed;
    secret.forbidden += row.forbidden;
    secret.other += row.other;
    secrets.set(key, secret);
  }
  return [...secrets.values()]
    .map((secret) => ({ ...secret, verbs: secret.verbs.sort() }))
    .sort((a, b) => (a.lastSeen < b.lastSeen ? 1 : a.lastSeen > b.lastSeen ? -1 : 0))
    .slice(0, SECRET_LIMIT);
}

/** The entity's requests per cluster over the range: one identity may act in several clusters. */
async function readClusters(pool: pg.Pool, entity: Entity, range: TimeRange): Promise<SeenValue[]> {
  const sql = buildEntitySql(entity);
  const n = sql.params.length;
  const result = await pool.query<{ cluster: string; count: number; last: Date }>(
    `SELECT e.cluster, count(*)::int AS count, max(e.time) AS last FROM audit_events e
      WHERE ${sql.audit} AND e.time >= $${n + 1} AND e.time < $${n + 2}
      GROUP BY e.cluster ORDER BY count(*) DESC, e.cluster LIMIT ${LIST_LIMIT}`,
    [...sql.params, range.from, range.to],
  );
  return result.rows.map((row) => ({ value: row.cluster, count: row.count, lastSeen: row.last.toISOString() }));
}

export async function readEntityProfile(
  pool: pg.Pool,
  entity: Entity,
  input: TimeRangeInput & Pick<EntityView, 'cluster'>,
  /** Without a range: how far back from the latest event (a busy node makes tens of thousands of requests a day). */
  defaultDays = DEFAULT_ENTITY_DAYS,
): Promise<EntityProfile> {
  const seen = await readSeen(pool, entity, input.cluster);
  // Narrowing to a cluster keeps the range the entity's page shows for every cluster.
  const anchor = input.cluster === undefined ? seen : await readSeen(pool, entity, undefined);
  const range = resolveTimeRange(input, anchor.last, defaultDays, anchor.first);
  const sql = buildEntitySql(entity, input.cluster);
  const clusters = await readClusters(pool, entity, range);
  const n = sql.params.length;
  const params = [...sql.params, range.from, range.to];
  const bucketMinutes = chooseBucketMinutes(range.from, range.to);

  const [facets, alerts, fileEvents, bindings] = await Promise.all([
    pool.query<FacetRow>(facetSql(sql.audit, n), [...params, bucketMinutes]),
    Promise.all([
      pool.query(
        `SELECT ${ALERT_ROW_COLUMNS} FROM ${ALERT_ROW_FROM}
          WHERE ${sql.alerts} AND a.withdrawn_at IS NULL AND a.last_event_at >= $${n + 1} AND a.first_event_at < $${n + 2}
          ORDER BY a.last_event_at DESC, a.id LIMIT ${LIST_LIMIT}`,
        params,
      ),
      pool.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM alerts a
          WHERE ${sql.alerts} AND a.withdrawn_at IS NULL AND a.last_event_at >= $${n + 1} AND a.first_event_at < $${n + 2}`,
        params,
      ),
    ]),
    sql.files
      ? Promise.all([
          pool.query(
            `SELECT ${FILE_EVENT_COLUMNS} FROM file_events f
              WHERE ${sql.files} AND f.time >= $${n + 1} AND f.time < $${n + 2} ORDER BY f.time DESC, f.id DESC
              LIMIT ${FILE_EVENT_LIMIT}`,
            params,
          ),
          pool.query<{ count: number }>(
            `SELECT count(*)::int AS count FROM file_events f
              WHERE ${sql.files} AND f.time >= $${n + 1} AND f.time < $${n + 2}`,
            params,
          ),
        ])
      : Promise.resolve(null),
    pool.query<{
      kind: string | null;
      name: string | null;
      namespace: string | null;
      role_kind: string | null;
      role_name: string | null;
      count: number;
      last: Date;
    }>(
      `SELECT CASE WHEN e.reason_parsed THEN e.rbac_binding_kind END AS kind, e.rbac_binding_name AS name,
              e.rbac_binding_namespace AS namespace, e.rbac_role_kind AS role_kind, e.rbac_role_name AS role_name,
              count(*)::int AS count, max(e.time) AS last
         FROM audit_events e WHERE ${sql.audit} AND e.time >= $${n + 1} AND e.time < $${n + 2} AND e.reason_parsed IS NOT NULL
        GROUP BY 1, 2, 3, 4, 5 ORDER BY count(*) DESC, 2, 3 LIMIT ${LIST_LIMIT + 1}`,
      params,
    ),
  ]);

  const facet = (name: FacetRow['facet']) => facets.rows.filter((row) => row.facet === name);
  const totals = facet('totals')[0];
  const counted = new Map(facet('activity').map((row) => [row.start!.getTime(), toCounts(row)]));
  const podsShown = entity.kind === 'ip' || (entity.kind === 'user' && isServiceAccount(entity.name));
  return {
    entity,
    cluster: input.cluster ?? null,
    clusters,
    range: serializeRange(range),
    firstSeen: seen.first?.toISOString() ?? null,
    lastSeen: seen.last?.toISOString() ?? null,
    totals: totals ? { events: totals.total, ...toCounts(totals) } : { events: 0, allowed: 0, forbidden: 0, other: 0 },
    activity: {
      bucketMinutes,
      buckets: fillBuckets(range.from, range.to, bucketMinutes, counted, () => ({
        allowed: 0,
        forbidden: 0,
        other: 0,
      })),
    },
    verbsByResource: facet('verbs')
      .map((row) => ({ resource: row.resource, verb: row.verb!, total: row.total, ...toCounts(row) }))
      .sort(
        byCount(
          (row) => row.total,
          (row) => `${row.resource ?? '\uffff'}\u0000${row.verb}`,
        ),
      )
      .slice(0, VERB_LIMIT),
    secrets: collectSecrets(facet('secrets')),
    userAgents: seenValues(facet('userAgent')),
    sourceIps: entity.kind === 'ip' ? [] : seenValues(facet('sourceIp')),
    users: entity.kind === 'user' ? [] : seenValues(facet('username')),
    pods: podsShown
      ? facet('pod')
          .filter((row) => row.name !== null)
          .map((row) => ({
            namespace: row.namespace,
            name: row.name!,
            count: row.total,
            lastSeen: row.last.toISOString(),
          }))
          .sort(
            byCount(
              (row) => row.count,
              (row) => row.name,
            ),
          )
          .slice(0, LIST_LIMIT)
      : [],
    nodes: seenValues(facet('node')),
    bindings: {
      rows: bindings.rows.flatMap((row) =>
        row.kind && row.name && row.role_kind && row.role_name
          ? [
              {
                bindingKind: row.kind,
                bindingName: row.name,
                bindingNamespace: row.namespace,
                roleKind: row.role_kind,
                roleName: row.role_name,
                count: row.count,
                lastSeen: row.last.toISOString(),
              },
            ]
          : [],
      ),
      unparsed: bindings.rows.find((row) => row.kind === null)?.count ?? 0,
    },
    alerts: { rows: alerts[0].rows.map(toAlertRow), total: alerts[1].rows[0]!.count },
    fileEvents: fileEvents
      ? { rows: fileEvents[0].rows.map(toFileEventRow), total: fileEvents[1].rows[0]!.count }
      : null,
  };
}

function serializeRange(range: TimeRange) {
  return { from: range.from.toISOString(), to: range.to.toISOString(), explicit: range.explicit };
}
