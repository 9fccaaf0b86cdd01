// An entity's profile over a time range: what the user, source IP or pod did (by outcome, over
// time, verb × resource), which secrets it touched, what it was seen with, its alerts and, for a
// pod, its file activity. One query per panel, run together.
import type pg from 'pg';
import { OUTCOME_COUNTS_SQL } from '../events/outcome-sql';
import { ALERT_ROW_COLUMNS, ALERT_ROW_FROM, toAlertRow, type AlertRow } from '../alerts/list-alerts';
import { FILE_EVENT_COLUMNS, toFileEventRow, type FileEventRow } from '../events/search-events';
import { chooseBucketMinutes, fillBuckets, resolveTimeRange, type TimeRange, type TimeRangeInput } from '../time-range';
import { buildEntitySql } from './entity-sql';
import type { Entity } from './schemas';

export type OutcomeCounts = { allowed: number; forbidden: number; other: number };
export type SeenValue = { value: string; count: number; lastSeen: string };
export type SeenPod = { namespace: string | null; name: string; count: number; lastSeen: string };

export type EntityProfile = {
  entity: Entity;
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
  alerts: { rows: AlertRow[]; total: number };
  /** Pods only. */
  fileEvents: { rows: FileEventRow[]; total: number } | null;
};

export const DEFAULT_ENTITY_DAYS = 7;
const LIST_LIMIT = 50;
/** The newest few; the explorer holds the rest. */
const FILE_EVENT_LIMIT = 25;

const toCounts = (row: { allowed: number; forbidden: number; other: number }): OutcomeCounts => ({
  allowed: row.allowed,
  forbidden: row.forbidden,
  other: row.other,
});

/** The newest and oldest stored event of the entity (audit requests, and a pod's file events). */
async function readSeen(pool: pg.Pool, entity: Entity) {
  const sql = buildEntitySql(entity);
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

export async function readEntityProfile(pool: pg.Pool, entity: Entity, input: TimeRangeInput): Promise<EntityProfile> {
  const seen = await readSeen(pool, entity);
  const range = resolveTimeRange(input, seen.last, DEFAULT_ENTITY_DAYS, seen.first);
  const sql = buildEntitySql(entity);
  const n = sql.params.length;
  const inRange = `e.time >= $${n + 1} AND e.time < $${n + 2}`;
  const params = [...sql.params, range.from, range.to];
  const bucketMinutes = chooseBucketMinutes(range.from, range.to);

  const seenValues = (column: string, skip: boolean) =>
    skip
      ? Promise.resolve([])
      : pool
          .query<{ value: string; count: number; last: Date }>(
            `SELECT ${column} AS value, count(*)::int AS count, max(e.time) AS last FROM audit_events e
              WHERE ${sql.audit} AND ${inRange} AND ${column} IS NOT NULL
              GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${LIST_LIMIT}`,
            params,
          )
          .then((result) =>
            result.rows.map((row) => ({ value: row.value, count: row.count, lastSeen: row.last.toISOString() })),
          );

  const [totals, activity, verbs, secrets, userAgents, sourceIps, users, pods, nodes, alerts, fileEvents] =
    await Promise.all([
      pool.query(
        `SELECT count(*)::int AS events, ${OUTCOME_COUNTS_SQL} FROM audit_events e WHERE ${sql.audit} AND ${inRange}`,
        params,
      ),
      pool.query<{ start: Date; allowed: number; forbidden: number; other: number }>(
        `SELECT date_bin(make_interval(mins => $${n + 3}), e.time, $${n + 1}::timestamptz) AS start, ${OUTCOME_COUNTS_SQL}
           FROM audit_events e WHERE ${sql.audit} AND ${inRange} GROUP BY 1`,
        [...params, bucketMinutes],
      ),
      pool.query(
        `SELECT e.resource, e.verb, count(*)::int AS total, ${OUTCOME_COUNTS_SQL} FROM audit_events e
          WHERE ${sql.audit} AND ${inRange} GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 200`,
        params,
      ),
      pool.query(
        `SELECT e.namespace, e.name, array_agg(DISTINCT e.verb ORDER BY e.verb) AS verbs, min(e.time) AS first,
            max(e.time) AS last, ${OUTCOME_COUNTS_SQL}
           FROM audit_events e WHERE ${sql.audit} AND ${inRange} AND e.resource = 'secrets'
          GROUP BY 1, 2 ORDER BY max(e.time) DESC LIMIT 500`,
        params,
      ),
      seenValues('e.user_agent', false),
      seenValues('e.source_ip', entity.kind === 'ip'),
      seenValues('e.username', entity.kind === 'user'),
      entity.kind === 'pod' || (entity.kind === 'user' && !entity.name.startsWith('system:serviceaccount:'))
        ? Promise.resolve(null)
        : pool.query<{ namespace: string; name: string; count: number; last: Date }>(
            `SELECT CASE WHEN starts_with(e.username, 'system:serviceaccount:') THEN split_part(e.username, ':', 3) END
                AS namespace, e.pod_name AS name, count(*)::int AS count, max(e.time) AS last
               FROM audit_events e WHERE ${sql.audit} AND ${inRange} AND e.pod_name IS NOT NULL
              GROUP BY 1, 2 ORDER BY 3 DESC, 2 LIMIT ${LIST_LIMIT}`,
            params,
          ),
      seenValues('e.node_name', false),
      Promise.all([
        pool.query(
          `SELECT ${ALERT_ROW_COLUMNS} FROM ${ALERT_ROW_FROM}
            WHERE ${sql.alerts} AND a.last_event_at >= $${n + 1} AND a.first_event_at < $${n + 2}
            ORDER BY a.last_event_at DESC, a.id LIMIT ${LIST_LIMIT}`,
          params,
        ),
        pool.query<{ count: number }>(
          `SELECT count(*)::int AS count FROM alerts a
            WHERE ${sql.alerts} AND a.last_event_at >= $${n + 1} AND a.first_event_at < $${n + 2}`,
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
    ]);

  const counted = new Map(activity.rows.map((row) => [row.start.getTime(), toCounts(row)]));
  return {
    entity,
    range: serializeRange(range),
    firstSeen: seen.first?.toISOString() ?? null,
    lastSeen: seen.last?.toISOString() ?? null,
    totals: { events: totals.rows[0].events, ...toCounts(totals.rows[0]) },
    activity: {
      bucketMinutes,
      buckets: fillBuckets(range.from, range.to, bucketMinutes, counted, () => ({
        allowed: 0,
        forbidden: 0,
        other: 0,
      })),
    },
    verbsByResource: verbs.rows.map((row) => ({
      resource: row.resource,
      verb: row.verb,
      total: row.total,
      ...toCounts(row),
    })),
    secrets: secrets.rows.map((row) => ({
      namespace: row.namespace,
      name: row.name,
      verbs: row.verbs,
      firstSeen: row.first.toISOString(),
      lastSeen: row.last.toISOString(),
      ...toCounts(row),
    })),
    userAgents,
    sourceIps,
    users,
    pods: (pods?.rows ?? []).map((row) => ({
      namespace: row.namespace,
      name: row.name,
      count: row.count,
      lastSeen: row.last.toISOString(),
    })),
    nodes,
    alerts: { rows: alerts[0].rows.map(toAlertRow), total: alerts[1].rows[0]!.count },
    fileEvents: fileEvents
      ? { rows: fileEvents[0].rows.map(toFileEventRow), total: fileEvents[1].rows[0]!.count }
      : null,
  };
}

function serializeRange(range: TimeRange) {
  return { from: range.from.toISOString(), to: range.to.toISOString(), explicit: range.explicit };
}
