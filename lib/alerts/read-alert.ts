// Everything the alert page shows: the alert with its rule, the entities its evidence
// names, the evidence itself (paged), outcome breakdowns, the identity's timeline and history.
import type pg from 'pg';
import type { MitreEntry } from '../vocabulary/mitre';
import { OUTCOME_COUNTS_SQL, OUTCOME_SQL } from '../events/outcome-sql';
import {
  AUDIT_EVENT_COLUMNS,
  FILE_EVENT_COLUMNS,
  toAuditEventRow,
  toFileEventRow,
  type AuditEventRow,
  type FileEventRow,
} from '../events/search-events';
import { formatOriginals } from '../events/stored-originals';
import { serviceAccountNamespace, serviceAccountNamespaceSql } from '../vocabulary/service-account';
import { chooseBucketMinutes, fillBuckets } from '../time-range';
import { ALERT_ROW_COLUMNS, ALERT_ROW_FROM, toAlertRow, type AlertRow } from './list-alerts';

export type AlertDetail = AlertRow & {
  ruleDescription: string;
  mitre: MitreEntry[];
  groupKey: string;
  windowStart: string;
  windowEnd: string;
  sourceIps: string[];
  responseCodes: number[];
  details: Record<string, unknown>;
  /** Distinct values across the evidence events. */
  /** A pod's namespace is its service account's (the requested objects may live elsewhere). */
  entities: {
    userAgents: string[];
    pods: { namespace: string | null; name: string }[];
    nodes: string[];
    /** A person's alert may gather evidence from several clusters. */
    clusters: string[];
  };
};

export async function readAlert(pool: pg.Pool, id: string): Promise<AlertDetail | null> {
  const result = await pool.query(
    `SELECT ${ALERT_ROW_COLUMNS}, r.description AS rule_description, r.mitre, a.group_key, a.window_start, a.window_end,
        a.source_ips, a.response_codes, a.details
       FROM ${ALERT_ROW_FROM} WHERE a.id = $1`,
    [id],
  );
  const row = result.rows[0];
  if (!row) return null;
  const entities = await pool.query<{ user_agents: string[]; pods: string[]; nodes: string[]; clusters: string[] }>(
    `SELECT coalesce(array_agg(DISTINCT e.user_agent) FILTER (WHERE e.user_agent IS NOT NULL), '{}') AS user_agents,
        coalesce(array_agg(DISTINCT json_build_array(
          ${serviceAccountNamespaceSql('e.username')},
          e.pod_name)::text) FILTER (WHERE e.pod_name IS NOT NULL), '{}') AS pods,
        coalesce(array_agg(DISTINCT e.node_name) FILTER (WHERE e.node_name IS NOT NULL), '{}') AS nodes,
        coalesce(array_agg(DISTINCT e.cluster), '{}') AS clusters
       FROM alert_events ae JOIN evidence_audit_events e ON e.id = ae.event_id WHERE ae.alert_id = $1`,
    [id],
  );
  const found = entities.rows[0]!;
  const pods = found.pods.map((text) => {
    const [namespace, name] = JSON.parse(text) as [string | null, string];
    return { namespace, name };
  });
  if (row.pod_name && !pods.some((pod) => pod.name === row.pod_name))
    pods.push({ namespace: serviceAccountNamespace(row.username) ?? row.namespaces?.[0] ?? null, name: row.pod_name });
  return {
    ...toAlertRow(row),
    ruleDescription: row.rule_description,
    mitre: row.mitre as MitreEntry[],
    groupKey: row.group_key,
    windowStart: row.window_start.toISOString(),
    windowEnd: row.window_end.toISOString(),
    sourceIps: row.source_ips ?? [],
    responseCodes: row.response_codes ?? [],
    details: row.details as Record<string, unknown>,
    entities: {
      userAgents: found.user_agents,
      pods,
      nodes: found.nodes,
      clusters: found.clusters.length ? found.clusters : row.cluster ? [row.cluster] : [],
    },
  };
}

/** An evidence event: the explorer's row, with each stage of it as it arrived, pretty-printed. */
export type EvidenceEvent = AuditEventRow & { original: string | null };

export type EvidenceFileEvent = FileEventRow & { original: string };

export type EvidencePage = {
  events: EvidenceEvent[];
  total: number;
  page: number;
  pageSize: number;
  fileEvents: EvidenceFileEvent[];
};

/** The alert's contributing events in time order, a page at a time, each with its original JSON. */
export async function listAlertEvidence(pool: pg.Pool, id: string, page: number, pageSize = 25): Promise<EvidencePage> {
  const offset = (page - 1) * pageSize;
  const [events, total, fileEvents] = await Promise.all([
    pool.query(
      `SELECT ${AUDIT_EVENT_COLUMNS}, e.originals
         FROM alert_events ae JOIN evidence_audit_events e ON e.id = ae.event_id
        WHERE ae.alert_id = $1 ORDER BY e.time, e.id LIMIT ${pageSize} OFFSET ${offset}`,
      [id],
    ),
    pool.query<{ count: string }>(`SELECT count(*) AS count FROM alert_events WHERE alert_id = $1`, [id]),
    pool.query(
      `SELECT ${FILE_EVENT_COLUMNS}, f.original
         FROM alert_file_events af JOIN evidence_file_events f ON f.id = af.file_event_id
        WHERE af.alert_id = $1 ORDER BY f.time, f.id LIMIT 200`,
      [id],
    ),
  ]);
  return {
    events: events.rows.map((row) => ({
      ...toAuditEventRow(row),
      original: formatOriginals(row.originals),
    })),
    total: Number(total.rows[0]!.count),
    page,
    pageSize,
    fileEvents: fileEvents.rows.map((row) => ({
      ...toFileEventRow(row),
      original: JSON.stringify(row.original, null, 2),
    })),
  };
}

export type OutcomeBreakdown = {
  outcomes: { outcome: 'allowed' | 'forbidden' | 'other'; count: number }[];
  responseCodes: { code: string; outcome: 'allowed' | 'forbidden' | 'other'; count: number }[];
};

/** Allowed vs forbidden and the response codes, over every evidence event. */
export async function readAlertOutcomes(pool: pg.Pool, id: string): Promise<OutcomeBreakdown> {
  const result = await pool.query<{ outcome: 'allowed' | 'forbidden' | 'other'; code: number | null; count: string }>(
    `SELECT ${OUTCOME_SQL} AS outcome, e.response_code AS code, count(*) AS count
       FROM alert_events ae JOIN evidence_audit_events e ON e.id = ae.event_id WHERE ae.alert_id = $1
      GROUP BY 1, 2 ORDER BY 2 NULLS LAST`,
    [id],
  );
  const byOutcome = new Map<string, number>();
  for (const row of result.rows) byOutcome.set(row.outcome, (byOutcome.get(row.outcome) ?? 0) + Number(row.count));
  return {
    outcomes: (['allowed', 'forbidden', 'other'] as const)
      .map((outcome) => ({ outcome, count: byOutcome.get(outcome) ?? 0 }))
      .filter((entry) => entry.outcome !== 'other' || entry.count > 0),
    responseCodes: result.rows.map((row) => ({
      code: row.code === null ? 'none' : String(row.code),
      outcome: row.outcome,
      count: Number(row.count),
    })),
  };
}

export type IdentityTimeline = {
  /** Which field identifies the actor, and its value. */
  identity: { field: 'username' | 'sourceIp' | 'podName'; value: string } | null;
  from: string;
  to: string;
  bucketMinutes: number;
  buckets: { start: string; allowed: number; forbidden: number; other: number }[];
};

export const TIMELINE_MARGIN_MS = 30 * 60_000;

/** Everything the same identity did from 30 minutes before the alert's first event to 30 after its last, by outcome. */
export async function readIdentityTimeline(pool: pg.Pool, alert: AlertDetail): Promise<IdentityTimeline> {
  const from = new Date(new Date(alert.firstEventAt).getTime() - TIMELINE_MARGIN_MS);
  const to = new Date(new Date(alert.lastEventAt).getTime() + TIMELINE_MARGIN_MS);
  const bucketMinutes = chooseBucketMinutes(from, to);
  const identity = alert.username
    ? ({ field: 'username', value: alert.username } as const)
    : alert.sourceIp
      ? ({ field: 'sourceIp', value: alert.sourceIp } as const)
      : alert.podName
        ? ({ field: 'podName', value: alert.podName } as const)
        : null;
  const base = { identity, from: from.toISOString(), to: to.toISOString(), bucketMinutes };
  if (!identity) return { ...base, buckets: [] };
  const column = { username: 'username', sourceIp: 'source_ip', podName: 'pod_name' }[identity.field];
  const result = await pool.query<{ start: Date; allowed: number; forbidden: number; other: number }>(
    `SELECT date_bin(make_interval(mins => $4), e.time, $2::timestamptz) AS start,
        ${OUTCOME_COUNTS_SQL}
       FROM audit_events e WHERE e.${column} = $1 AND e.time >= $2 AND e.time < $3
      GROUP BY 1 ORDER BY 1`,
    [identity.value, from, to, bucketMinutes],
  );
  const counted = new Map(
    result.rows.map((row) => [
      row.start.getTime(),
      { allowed: row.allowed, forbidden: row.forbidden, other: row.other },
    ]),
  );
  const buckets = fillBuckets(from, to, bucketMinutes, counted, () => ({ allowed: 0, forbidden: 0, other: 0 }));
  return { ...base, buckets };
}

export type AlertActivityEntry = {
  id: string;
  at: string;
  actorName: string;
  kind: string;
  from: string | null;
  to: string | null;
  note: string | null;
};

/** The alert's history, oldest first. */
export async function listAlertActivity(pool: pg.Pool, id: string): Promise<AlertActivityEntry[]> {
  const result = await pool.query(
    `SELECT id::text AS id, created_at, actor_name, kind, from_value, to_value, note
       FROM alert_activity WHERE alert_id = $1 ORDER BY created_at, id`,
    [id],
  );
  return result.rows.map((row) => ({
    id: row.id,
    at: row.created_at.toISOString(),
    actorName: row.actor_name,
    kind: row.kind,
    from: row.from_value,
    to: row.to_value,
    note: row.note,
  }));
}
