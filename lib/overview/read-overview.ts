// The Overview page's panels over one time range: alerts by severity and by rule, the entities
// behind them, secret access by outcome, ingest volume and triage speed per rule.
import type pg from 'pg';
import { countAlertsByRule } from '../alerts/count-alerts';
import { OUTCOME_SQL } from '../events/outcome-sql';
import { SEVERITIES, type Severity } from '../vocabulary/severity';
import { serviceAccountNamespaceSql } from '../vocabulary/service-account';
import { intervalParams, splitByWholeHours } from '../rollups/split-by-hours';
import { chooseChartBuckets, fillBuckets, resolveTimeRange, type TimeRange, type TimeRangeInput } from '../time-range';

export const OVERVIEW_DEFAULT_DAYS = 14;
/** Longer ranges would make charts of thousands of weekly bars. */
export const OVERVIEW_MAX_DAYS = 731;
export const TOP_ENTITY_LIMIT = 10;

const DAY = 86_400_000;

export type OverviewRange = TimeRange & {
  bucketMinutes: number;
  /** Where the charts' buckets start: on the UTC hour or day, so whole buckets read whole rolled-up hours. */
  bucketOrigin: Date;
  /** The newest stored audit event, which the default range ends at. */
  latestEventAt: Date | null;
};

export type SeverityBucket = { start: string } & Record<Severity, number>;
export type OutcomeBucket = { start: string; allowed: number; forbidden: number; other: number };
export type IngestBucket = { start: string; upload: number; webhook: number; cli: number; demo: number };

export type OpenAlertsByRule = {
  ruleId: string;
  ruleName: string;
  /** The highest severity among these open and acknowledged alerts (not the rule's default). */
  severity: Severity;
  open: number;
  acknowledged: number;
};

export type TopEntities = {
  users: { name: string; count: number }[];
  sourceIps: { ip: string; count: number }[];
  /** namespace null: the alert named neither a service account nor a namespace. */
  pods: { namespace: string | null; name: string; count: number }[];
};

export type Percentiles = { count: number; medianSeconds: number | null; p90Seconds: number | null };

export type RuleTriage = {
  ruleId: string;
  ruleName: string;
  enabled: boolean;
  alerts: number;
  /** From the alert being raised to its first move to acknowledged. */
  timeToAcknowledge: Percentiles;
  /** From the alert being raised to its first close. */
  timeToClose: Percentiles;
  closed: number;
  falsePositives: number;
  /** falsePositives ÷ closed; null when none is closed. */
  falsePositiveRate: number | null;
};

export type Overview = {
  range: {
    from: string;
    to: string;
    explicit: boolean;
    bucketMinutes: number;
    bucketOrigin: string;
    latestEventAt: string | null;
  };
  alertsOverTime: { buckets: SeverityBucket[]; total: number };
  openAlertsByRule: OpenAlertsByRule[];
  topEntities: TopEntities;
  secretAccess: { buckets: OutcomeBucket[]; totals: { allowed: number; forbidden: number; other: number } };
  ingestVolume: { buckets: IngestBucket[]; total: number };
  triageByRule: RuleTriage[];
};

/** Alerts whose events overlap the range, as the queue's from/to filter reads it. */
// Withdrawn alerts (no longer raised by the stored events and settings) count nowhere.
const ALERT_IN_RANGE = `a.withdrawn_at IS NULL AND a.last_event_at >= $1::timestamptz AND a.first_event_at < $2::timestamptz`;

export async function readStoredEventSpan(pool: pg.Pool): Promise<{ earliest: Date | null; latest: Date | null }> {
  const result = await pool.query<{ earliest: Date | null; latest: Date | null }>(
    `SELECT min(time) AS earliest, max(time) AS latest FROM audit_events`,
  );
  return { earliest: result.rows[0]?.earliest ?? null, latest: result.rows[0]?.latest ?? null };
}

/** The URL's range completed from the data (default: the 14 days up to the newest event, or from the oldest if that is later), or why it cannot be used. */
export async function resolveOverviewRange(
  pool: pg.Pool,
  input: TimeRangeInput,
): Promise<{ ok: true; range: OverviewRange } | { ok: false; error: string }> {
  const { earliest, latest: latestEventAt } = await readStoredEventSpan(pool);
  const range = resolveTimeRange(input, latestEventAt, OVERVIEW_DEFAULT_DAYS, earliest);
  if (range.to.getTime() - range.from.getTime() > OVERVIEW_MAX_DAYS * DAY)
    return { ok: false, error: `the range spans more than ${OVERVIEW_MAX_DAYS} days: choose a shorter one` };
  return { ok: true, range: { ...range, ...chooseChartBuckets(range.from, range.to), latestEventAt } };
}

/** Every panel but rule health (which is not about a range), read in parallel. */
export async function readOverview(pool: pg.Pool, range: OverviewRange): Promise<Overview> {
  const [alertsOverTime, openAlertsByRule, topEntities, secretAccess, ingestVolume, triageByRule] = await Promise.all([
    readAlertsOverTime(pool, range),
    readOpenAlertsByRule(pool, range),
    readTopEntities(pool, range),
    readSecretAccess(pool, range),
    readIngestVolume(pool, range),
    readTriageByRule(pool, range),
  ]);
  return {
    range: {
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      explicit: range.explicit,
      bucketMinutes: range.bucketMinutes,
      bucketOrigin: range.bucketOrigin.toISOString(),
      latestEventAt: range.latestEventAt?.toISOString() ?? null,
    },
    alertsOverTime,
    openAlertsByRule,
    topEntities,
    secretAccess,
    ingestVolume,
    triageByRule,
  };
}

const bucketParams = (range: OverviewRange) => [range.from, range.to, range.bucketMinutes, range.bucketOrigin];

/** Every bucket of the range, the counted ones filled in. */
function fillRangeBuckets<K extends string>(
  range: OverviewRange,
  counted: Map<number, Record<K, number>>,
  keys: readonly K[],
) {
  return fillBuckets(range.bucketOrigin, range.to, range.bucketMinutes, counted, () => zeros(keys));
}

/** Counts per bucket start and series, as fillBuckets wants them. */
function countedBy<K extends string>(
  rows: { start: Date; series: string; count: string | number }[],
  keys: readonly K[],
): Map<number, Record<K, number>> {
  const counted = new Map<number, Record<K, number>>();
  for (const row of rows) {
    if (!(keys as readonly string[]).includes(row.series)) continue;
    const time = row.start.getTime();
    const entry = counted.get(time) ?? zeros(keys);
    entry[row.series as K] += Number(row.count);
    counted.set(time, entry);
  }
  return counted;
}

function zeros<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
}

const OUTCOMES = ['allowed', 'forbidden', 'other'] as const;
const SOURCES = ['upload', 'webhook', 'cli', 'demo'] as const;

/** Alerts in range per bucket of their first event, stacked by severity. */
export async function readAlertsOverTime(pool: pg.Pool, range: OverviewRange): Promise<Overview['alertsOverTime']> {
  // An alert that began before the range still overlaps it: it counts in the first bucket.
  const result = await pool.query<{ start: Date; series: string; count: string }>(
    `SELECT date_bin(make_interval(mins => $3), greatest(a.first_event_at, $1::timestamptz), $4::timestamptz) AS start,
        a.severity::text AS series, count(*) AS count
       FROM alerts a WHERE ${ALERT_IN_RANGE}
      GROUP BY 1, 2`,
    bucketParams(range),
  );
  const buckets = fillRangeBuckets(range, countedBy(result.rows, SEVERITIES), SEVERITIES);
  return { buckets, total: result.rows.reduce((sum, row) => sum + Number(row.count), 0) };
}

/** Open and acknowledged alerts in range per rule, the most first, as the queue counts them (count-alerts). */
export async function readOpenAlertsByRule(pool: pg.Pool, range: OverviewRange): Promise<OpenAlertsByRule[]> {
  const counts = await countAlertsByRule(pool, { from: range.from.toISOString(), to: range.to.toISOString() });
  return counts
    .filter((rule) => rule.open + rule.acknowledged > 0)
    .map((rule) => ({
      ruleId: rule.ruleId,
      ruleName: rule.ruleName,
      severity: rule.highestActiveSeverity ?? 'low',
      open: rule.open,
      acknowledged: rule.acknowledged,
    }));
}

/** The users, source IPs and pods with the most alerts in range. */
export async function readTopEntities(
  pool: pg.Pool,
  range: OverviewRange,
  limit = TOP_ENTITY_LIMIT,
): Promise<TopEntities> {
  // A pod alert's username is its service account (system:serviceaccount:<ns>:<sa>), which
  // names the pod's own namespace; the alert's namespaces are those of the secrets it touched.
  const result = await pool.query<{
    kind: 'user' | 'ip' | 'pod';
    namespace: string | null;
    value: string;
    count: string;
  }>(
    `WITH scoped AS MATERIALIZED (
       SELECT a.username, a.source_ip, a.pod_name,
           coalesce(${serviceAccountNamespaceSql('a.username')}, a.namespaces[1]) AS pod_namespace
         FROM alerts a WHERE ${ALERT_IN_RANGE}
     )
     (SELECT 'user' AS kind, NULL::text AS namespace, username AS value, count(*) AS count FROM scoped
       WHERE username IS NOT NULL GROUP BY username ORDER BY count(*) DESC, username COLLATE "C" LIMIT $3)
     UNION ALL
     (SELECT 'ip', NULL, source_ip, count(*) FROM scoped
       WHERE source_ip IS NOT NULL GROUP BY source_ip ORDER BY count(*) DESC, source_ip COLLATE "C" LIMIT $3)
     UNION ALL
     (SELECT 'pod', pod_namespace, pod_name, count(*) FROM scoped
       WHERE pod_name IS NOT NULL GROUP BY pod_namespace, pod_name
       ORDER BY count(*) DESC, pod_name COLLATE "C", pod_namespace COLLATE "C" NULLS LAST LIMIT $3)`,
    [range.from, range.to, limit],
  );
  // UNION ALL promises no order; ties sort by byte order, as COLLATE "C" cut them.
  const rows = result.rows
    .map((row) => ({ ...row, count: Number(row.count) }))
    .sort(
      (a, b) =>
        b.count - a.count ||
        compareText(a.value, b.value) ||
        compareText(a.namespace ?? '\uffff', b.namespace ?? '\uffff'),
    );
  return {
    users: rows.filter((row) => row.kind === 'user').map((row) => ({ name: row.value, count: row.count })),
    sourceIps: rows.filter((row) => row.kind === 'ip').map((row) => ({ ip: row.value, count: row.count })),
    pods: rows
      .filter((row) => row.kind === 'pod')
      .map((row) => ({ namespace: row.namespace, name: row.value, count: row.count })),
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Audit events on secrets per bucket, stacked by outcome: whole hours from cluster_rollups, the rest from raw rows. */
export async function readSecretAccess(pool: pg.Pool, range: OverviewRange): Promise<Overview['secretAccess']> {
  const split = splitByWholeHours(range.from, range.to, { origin: range.bucketOrigin, minutes: range.bucketMinutes });
  const result = await pool.query<{ start: Date; series: string; count: string }>(
    `SELECT date_bin(make_interval(mins => $2), r.hour, $1::timestamptz) AS start, r.outcome AS series,
        sum(r.count) AS count
       FROM unnest($3::timestamptz[], $4::timestamptz[]) AS s(f, t)
       JOIN cluster_rollups r ON r.resource = 'secrets' AND r.hour >= s.f AND r.hour < s.t
      GROUP BY 1, 2
     UNION ALL
     SELECT date_bin(make_interval(mins => $2), e.time, $1::timestamptz), ${OUTCOME_SQL}, count(*)
       FROM unnest($5::timestamptz[], $6::timestamptz[]) AS s(f, t)
       JOIN audit_events e ON e.resource = 'secrets' AND e.time >= s.f AND e.time < s.t
      GROUP BY 1, 2`,
    [range.bucketOrigin, range.bucketMinutes, ...intervalParams(split.hours), ...intervalParams(split.raw)],
  );
  const buckets = fillRangeBuckets(range, countedBy(result.rows, OUTCOMES), OUTCOMES);
  const totals = zeros(OUTCOMES);
  for (const bucket of buckets) for (const outcome of OUTCOMES) totals[outcome] += bucket[outcome];
  return { buckets, totals };
}

/** Events stored per bucket of the batch's start (when it arrived, not its event times), by source. */
export async function readIngestVolume(pool: pg.Pool, range: OverviewRange): Promise<Overview['ingestVolume']> {
  const result = await pool.query<{ start: Date; series: string; count: string }>(
    `SELECT date_bin(make_interval(mins => $3), b.started_at, $4::timestamptz) AS start, b.source::text AS series,
        sum(b.stored) AS count
       FROM ingest_batches b WHERE b.started_at >= $1 AND b.started_at < $2
      GROUP BY 1, 2`,
    bucketParams(range),
  );
  const buckets = fillRangeBuckets(range, countedBy(result.rows, SOURCES), SOURCES);
  return { buckets, total: result.rows.reduce((sum, row) => sum + Number(row.count), 0) };
}

/** Per rule, over its alerts in range: time to acknowledge and to close (median, p90) and the false-positive rate. */
export async function readTriageByRule(pool: pg.Pool, range: OverviewRange): Promise<RuleTriage[]> {
  const result = await pool.query<{
    rule_id: string;
    rule_name: string;
    enabled: boolean;
    alerts: string;
    acknowledged: string;
    ack_median: number | null;
    ack_p90: number | null;
    closed_once: string;
    close_median: number | null;
    close_p90: number | null;
    closed: string;
    false_positives: string;
  }>(
    `WITH scoped AS MATERIALIZED (
       SELECT a.id, a.rule_id, a.status, a.close_reason, a.created_at FROM alerts a WHERE ${ALERT_IN_RANGE}
     ), firsts AS (
       SELECT h.alert_id, min(h.created_at) FILTER (WHERE h.to_value = 'acknowledged') AS acknowledged_at,
           min(h.created_at) FILTER (WHERE h.to_value = 'closed') AS closed_at
         FROM alert_activity h JOIN scoped s ON s.id = h.alert_id
        WHERE h.kind = 'status' AND h.to_value IN ('acknowledged', 'closed')
        GROUP BY h.alert_id
     ), timed AS (
       SELECT s.rule_id, s.status, s.close_reason,
           extract(epoch FROM f.acknowledged_at - s.created_at)::float8 AS ack_seconds,
           extract(epoch FROM f.closed_at - s.created_at)::float8 AS close_seconds
         FROM scoped s LEFT JOIN firsts f ON f.alert_id = s.id
     )
     SELECT r.id AS rule_id, r.name AS rule_name, r.enabled, count(t.rule_id) AS alerts,
         count(t.ack_seconds) AS acknowledged,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY t.ack_seconds) AS ack_median,
         percentile_cont(0.9) WITHIN GROUP (ORDER BY t.ack_seconds) AS ack_p90,
         count(t.close_seconds) AS closed_once,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY t.close_seconds) AS close_median,
         percentile_cont(0.9) WITHIN GROUP (ORDER BY t.close_seconds) AS close_p90,
         count(*) FILTER (WHERE t.status = 'closed') AS closed,
         count(*) FILTER (WHERE t.status = 'closed' AND t.close_reason = 'false_positive') AS false_positives
       FROM rules r LEFT JOIN timed t ON t.rule_id = r.id
      GROUP BY r.id, r.name, r.enabled, r.created_at
      ORDER BY r.created_at, r.id`,
    [range.from, range.to],
  );
  return result.rows.map((row) => {
    const closed = Number(row.closed);
    const falsePositives = Number(row.false_positives);
    return {
      ruleId: row.rule_id,
      ruleName: row.rule_name,
      enabled: row.enabled,
      alerts: Number(row.alerts),
      timeToAcknowledge: { count: Number(row.acknowledged), medianSeconds: row.ack_median, p90Seconds: row.ack_p90 },
      timeToClose: { count: Number(row.closed_once), medianSeconds: row.close_median, p90Seconds: row.close_p90 },
      closed,
      falsePositives,
      falsePositiveRate: closed === 0 ? null : falsePositives / closed,
    };
  });
}
