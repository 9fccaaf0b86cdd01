// An entity's profile over a time range: what the user, source IP or pod did (by outcome, over
// time, verb × resource), which secrets it touched, what it was seen with, its alerts and, for a
// pod, its file activity.
import type pg from 'pg';
import { serviceAccountNamespaceSql } from '../vocabulary/service-account';
import { OUTCOME_SQL } from '../events/outcome-sql';
import { ALERT_ROW_COLUMNS, ALERT_ROW_FROM, toAlertRow, type AlertRow } from '../alerts/list-alerts';
import { FILE_EVENT_COLUMNS, toFileEventRow, type FileEventRow } from '../events/search-events';
import { chooseChartBuckets, fillBuckets, resolveTimeRange, type TimeRange, type TimeRangeInput } from '../time-range';
import { intervalParams, splitByWholeHours } from '../rollups/split-by-hours';
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

/** The entity's key in the rollups (kind, name, namespace; '' where there is none), and the cluster it is narrowed to. */
function rollupKey(entity: Entity, cluster: string | undefined): [string, string, string, string | null] {
  switch (entity.kind) {
    case 'user':
      return ['user', entity.name, '', cluster ?? null];
    case 'ip':
      return ['ip', entity.ip, '', cluster ?? null];
    case 'pod':
      return ['pod', entity.name, entity.namespace, cluster ?? null];
  }
}

const ROLLUP_ENTITY =
  'r.entity_kind = $1 AND r.entity_name = $2 AND r.entity_namespace = $3 AND ($4::text IS NULL OR r.cluster = $4)';

/** The newest and oldest event of the entity (audit requests from the rollups, and a pod's file events). */
async function readSeen(pool: pg.Pool, entity: Entity, cluster: string | undefined) {
  const sql = buildEntitySql(entity, cluster);
  // The first and last hour come from the index; only their rows are read.
  const audit = pool.query<{ first: Date | null; last: Date | null }>(
    `SELECT (SELECT min(r.first_seen) FROM entity_rollups r WHERE ${ROLLUP_ENTITY} AND r.count > 0
               AND r.hour = (SELECT min(r.hour) FROM entity_rollups r WHERE ${ROLLUP_ENTITY} AND r.count > 0)) AS first,
            (SELECT max(r.last_seen) FROM entity_rollups r WHERE ${ROLLUP_ENTITY} AND r.count > 0
               AND r.hour = (SELECT max(r.hour) FROM entity_rollups r WHERE ${ROLLUP_ENTITY} AND r.count > 0)) AS last`,
    rollupKey(entity, cluster),
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

const COUNT_COLUMNS = `count(*)::int AS total,
      count(*) FILTER (WHERE outcome = 'allowed')::int AS allowed,
      count(*) FILTER (WHERE outcome = 'forbidden')::int AS forbidden,
      count(*) FILTER (WHERE outcome = 'other')::int AS other,
      min(time) AS first, max(time) AS last`;

/** The entity's raw requests in the intervals $n+1 (starts) and $n+2 (ends), by index on the entity and time. */
function rawRequests(entityWhere: string, n: number, columns: string): string {
  return `SELECT ${columns}
      FROM unnest($${n + 1}::timestamptz[], $${n + 2}::timestamptz[]) AS s(f, t)
      JOIN audit_events e ON e.time >= s.f AND e.time < s.t
     WHERE ${entityWhere}`;
}

/**
 * Every panel but the chart from one pass over the entity's raw requests in the range's partial hours:
 * GROUPING SETS aggregates each facet from the same scan; `facet` says which set a row belongs to.
 */
function rawFacetSql(entityWhere: string, n: number): string {
  return `
    SELECT CASE
        WHEN GROUPING(resource) = 0 THEN 'verbs'
        WHEN GROUPING(secret_namespace) = 0 THEN 'secrets'
        WHEN GROUPING(user_agent) = 0 THEN 'userAgent'
        WHEN GROUPING(source_ip) = 0 THEN 'sourceIp'
        WHEN GROUPING(username) = 0 THEN 'username'
        WHEN GROUPING(pod_name) = 0 THEN 'pod'
        WHEN GROUPING(node_name) = 0 THEN 'node'
        ELSE 'totals' END AS facet,
      NULL::timestamptz AS start, resource, verb,
      coalesce(secret_namespace, pod_namespace) AS namespace, coalesce(secret_name, pod_name) AS name,
      coalesce(user_agent, source_ip, username, node_name) AS value, ${COUNT_COLUMNS}
    FROM (${rawRequests(
      entityWhere,
      n,
      `e.time, ${OUTCOME_SQL} AS outcome, e.resource, e.verb, e.user_agent, e.source_ip, e.username, e.node_name,
        e.pod_name, e.resource = 'secrets' AS is_secret,
        CASE WHEN e.resource = 'secrets' THEN coalesce(e.namespace, '') END AS secret_namespace,
        CASE WHEN e.resource = 'secrets' THEN coalesce(e.name, '') END AS secret_name,
        ${serviceAccountNamespaceSql('e.username')} AS pod_namespace`,
    )}) r
    GROUP BY GROUPING SETS ((), (resource, verb), (is_secret, secret_namespace, secret_name, verb),
      (user_agent), (source_ip), (username), (pod_namespace, pod_name), (node_name))`;
}

/** The chart's raw part: $n+1, $n+2 its intervals, $n+3 the origin, $n+4 the bucket minutes. */
function rawActivitySql(entityWhere: string, n: number): string {
  return `
    SELECT 'activity' AS facet, start, NULL AS resource, NULL AS verb, NULL AS namespace, NULL AS name, NULL AS value,
      ${COUNT_COLUMNS}
    FROM (${rawRequests(
      entityWhere,
      n,
      `e.time, ${OUTCOME_SQL} AS outcome,
        date_bin(make_interval(mins => $${n + 4}), e.time, $${n + 3}::timestamptz) AS start`,
    )}) r
    GROUP BY start`;
}

const ROLLUP_COUNTS = `sum(r.count)::int AS total,
      coalesce(sum(r.count) FILTER (WHERE r.outcome = 'allowed'), 0)::int AS allowed,
      coalesce(sum(r.count) FILTER (WHERE r.outcome = 'forbidden'), 0)::int AS forbidden,
      coalesce(sum(r.count) FILTER (WHERE r.outcome = 'other'), 0)::int AS other,
      min(r.first_seen) AS first, max(r.last_seen) AS last`;

/** An entity's rollup rows in the runs of whole hours $5 (starts) and $6 (ends). */
const rollupRows = (table: string) => `${table} r
      JOIN unnest($5::timestamptz[], $6::timestamptz[]) AS s(f, t) ON r.hour >= s.f AND r.hour < s.t
     WHERE ${ROLLUP_ENTITY} AND r.count > 0`;

/** The same facets as rawFacetSql over the whole hours, from the rollups; $7, $8 the chart's hours, $9 its origin, $10 its bucket minutes. */
const ROLLUP_FACET_SQL = `
    SELECT 'totals' AS facet, NULL::timestamptz AS start, NULL AS resource, NULL AS verb, NULL AS namespace,
        NULL AS name, NULL AS value, ${ROLLUP_COUNTS}
      FROM ${rollupRows('entity_rollups')}
    HAVING count(*) > 0
    UNION ALL
    SELECT 'verbs', NULL, nullif(r.resource, ''), r.verb, NULL, NULL, NULL, ${ROLLUP_COUNTS}
      FROM ${rollupRows('entity_rollups')}
     GROUP BY r.resource, r.verb
    UNION ALL
    SELECT 'activity', date_bin(make_interval(mins => $10), r.hour, $9::timestamptz), NULL, NULL, NULL, NULL, NULL,
        ${ROLLUP_COUNTS}
      FROM entity_rollups r
      JOIN unnest($7::timestamptz[], $8::timestamptz[]) AS s(f, t) ON r.hour >= s.f AND r.hour < s.t
     WHERE ${ROLLUP_ENTITY} AND r.count > 0
     GROUP BY 2
    UNION ALL
    SELECT 'secrets', NULL, NULL, r.verb, r.secret_namespace, r.secret_name, NULL, ${ROLLUP_COUNTS}
      FROM ${rollupRows('entity_secret_rollups')}
     GROUP BY r.secret_namespace, r.secret_name, r.verb
    UNION ALL
    SELECT r.peer_kind, NULL, NULL, NULL,
        CASE WHEN r.peer_kind = 'pod' THEN nullif(r.peer_namespace, '') END,
        CASE WHEN r.peer_kind = 'pod' THEN r.peer_value END,
        CASE WHEN r.peer_kind <> 'pod' THEN r.peer_value END,
        sum(r.count)::int, 0, 0, 0, min(r.first_seen), max(r.last_seen)
      FROM ${rollupRows('entity_peer_rollups')}
     GROUP BY r.peer_kind, r.peer_namespace, r.peer_value`;

/** Adds rows of the same facet and group (from the rollups and from raw edges) into one. */
function mergeFacetRows(rows: FacetRow[]): FacetRow[] {
  const merged = new Map<string, FacetRow>();
  for (const row of rows) {
    const key = JSON.stringify([
      row.facet,
      row.start?.getTime() ?? null,
      row.resource,
      row.verb,
      row.namespace,
      row.name,
      row.value,
    ]);
    const into = merged.get(key);
    if (!into) {
      merged.set(key, { ...row });
      continue;
    }
    into.total += row.total;
    into.allowed += row.allowed;
    into.forbidden += row.forbidden;
    into.other += row.other;
    if (row.first && (!into.first || row.first < into.first)) into.first = row.first;
    if (row.last && (!into.last || row.last > into.last)) into.last = row.last;
  }
  return [...merged.values()];
}

type BindingRow = {
  kind: string | null;
  name: string | null;
  namespace: string | null;
  role_kind: string | null;
  role_name: string | null;
  count: number;
  last: Date;
};

/**
 * Bindings from the rollups' whole hours ($5, $6) and the raw edges (the entity's n parameters from $7,
 * then the edges' starts and ends); kind null: reasons that did not parse.
 */
function bindingSql(entityWhere: string, n: number): string {
  return `
    SELECT kind, name, namespace, role_kind, role_name, sum(count)::int AS count, max(last) AS last FROM (
      SELECT nullif(r.binding_kind, '') AS kind, nullif(r.binding_name, '') AS name,
          nullif(r.binding_namespace, '') AS namespace, nullif(r.role_kind, '') AS role_kind,
          nullif(r.role_name, '') AS role_name, r.count, r.last_seen AS last
        FROM ${rollupRows('entity_binding_rollups')}
      UNION ALL
      SELECT CASE WHEN e.reason_parsed THEN e.rbac_binding_kind END, CASE WHEN e.reason_parsed THEN e.rbac_binding_name END,
          CASE WHEN e.reason_parsed THEN e.rbac_binding_namespace END, CASE WHEN e.reason_parsed THEN e.rbac_role_kind END,
          CASE WHEN e.reason_parsed THEN e.rbac_role_name END, 1, e.time
        FROM unnest($${n + 7}::timestamptz[], $${n + 8}::timestamptz[]) AS s(f, t)
        JOIN audit_events e ON e.time >= s.f AND e.time < s.t
       WHERE ${shiftParams(entityWhere, 6)} AND e.reason_parsed IS NOT NULL
         AND (NOT e.reason_parsed OR (e.rbac_binding_kind IS NOT NULL AND e.rbac_binding_name IS NOT NULL
              AND e.rbac_role_kind IS NOT NULL AND e.rbac_role_name IS NOT NULL))
    ) b
    GROUP BY 1, 2, 3, 4, 5 ORDER BY sum(count) DESC, 2, 3 LIMIT ${LIST_LIMIT + 1}`;
}

/** The entity's SQL with its parameters renumbered `by` places on. */
function shiftParams(where: string, by: number): string {
  return where.replace(/\$(\d+)/g, (_, index: string) => `$${Number(index) + by}`);
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

/**
 * The entity's requests per cluster over the range (one identity may act in several): the rollups' whole
 * hours ($5, $6) and the raw edges (the entity's n parameters from $7, then the edges' starts and ends).
 */
function clustersSql(entityWhere: string, n: number): string {
  return `
    SELECT cluster, sum(count)::int AS count, max(last) AS last FROM (
      SELECT r.cluster, r.count, r.last_seen AS last FROM ${rollupRows('entity_rollups')}
      UNION ALL
      SELECT e.cluster, 1, e.time
        FROM unnest($${n + 7}::timestamptz[], $${n + 8}::timestamptz[]) AS s(f, t)
        JOIN audit_events e ON e.time >= s.f AND e.time < s.t
       WHERE ${shiftParams(entityWhere, 6)}
    ) c
    GROUP BY cluster ORDER BY sum(count) DESC, cluster LIMIT ${LIST_LIMIT}`;
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
  const n = sql.params.length;
  const params = [...sql.params, range.from, range.to];
  const { bucketMinutes, bucketOrigin: origin } = chooseChartBuckets(range.from, range.to);
  // Whole hours from the rollups, partial ones from raw rows; the chart also leaves to raw rows the hours its buckets cut.
  const split = splitByWholeHours(range.from, range.to);
  const chart = splitByWholeHours(range.from, range.to, { origin, minutes: bucketMinutes });
  const key = rollupKey(entity, input.cluster);
  const hours = intervalParams(split.hours);
  const edges = intervalParams(split.raw);
  const everyCluster = buildEntitySql(entity);

  const [rolled, rawFacets, rawActivity, alerts, fileEvents, bindings, clusters] = await Promise.all([
    pool.query<FacetRow>(ROLLUP_FACET_SQL, [...key, ...hours, ...intervalParams(chart.hours), origin, bucketMinutes]),
    pool.query<FacetRow>(rawFacetSql(sql.audit, n), [...sql.params, ...edges]),
    pool.query<FacetRow>(rawActivitySql(sql.audit, n), [
      ...sql.params,
      ...intervalParams(chart.raw),
      origin,
      bucketMinutes,
    ]),
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
    pool.query<BindingRow>(bindingSql(sql.audit, n), [...key, ...hours, ...sql.params, ...edges]),
    pool.query<{ cluster: string; count: number; last: Date }>(
      clustersSql(everyCluster.audit, everyCluster.params.length),
      [...rollupKey(entity, undefined), ...hours, ...everyCluster.params, ...edges],
    ),
  ]);

  const facetRows = mergeFacetRows([...rolled.rows, ...rawFacets.rows, ...rawActivity.rows]);
  const facet = (name: FacetRow['facet']) => facetRows.filter((row) => row.facet === name);
  const totals = facet('totals')[0];
  const counted = new Map(facet('activity').map((row) => [row.start!.getTime(), toCounts(row)]));
  const podsShown = entity.kind === 'ip' || (entity.kind === 'user' && isServiceAccount(entity.name));
  return {
    entity,
    cluster: input.cluster ?? null,
    clusters: clusters.rows.map((row) => ({ value: row.cluster, count: row.count, lastSeen: row.last.toISOString() })),
    range: serializeRange(range),
    firstSeen: seen.first?.toISOString() ?? null,
    lastSeen: seen.last?.toISOString() ?? null,
    totals: totals ? { events: totals.total, ...toCounts(totals) } : { events: 0, allowed: 0, forbidden: 0, other: 0 },
    activity: {
      bucketMinutes,
      buckets: fillBuckets(origin, range.to, bucketMinutes, counted, () => ({
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
