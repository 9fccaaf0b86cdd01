// Alerts for the triage and allowlist API tests: stored directly (any shape a list filter needs)
// or raised for real by ingesting a burst of secret GETs and running the detection engine.
// The integration database is shared by files running in parallel, so every factory makes
// rows of its own: unique users, clusters and time slots.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { getDb } from '../../lib/db/client';
import { runDetection } from '../../lib/engine/run-detection';
import { ingestStream } from '../../lib/ingest/ingest-stream';
import { seedDatabase } from '../../lib/seed/seed-database';
import { bytesOf, nativeEvent, ndjson, type NativeEvent } from './audit-events';

/** One user GETting several distinct secrets within minutes raises it. */
export const BURST_RULE = 'rapid-secret-get-multiple-objects';
/** Another shipped rule, for scoping and rule filters. */
export const ENUMERATION_RULE = 'secret-enumeration-by-user';

const HOUR = 3_600_000;

/** Every shipped rule's row. Files seeding at once can race on creating the same row; a lost race is retried. */
export async function seedRules(): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await seedDatabase(getDb(), { demo: false });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

/**
 * Hours of event time nobody else uses: each call hands out the next one after `base`.
 * Detection runs over one slot therefore never sees (or raises alerts for) another test's events.
 */
export function timeSlots(base: string): () => { start: Date; end: Date } {
  let next = Date.parse(base);
  return () => {
    const start = new Date(next);
    next += 6 * HOUR;
    return { start, end: new Date(start.getTime() + HOUR) };
  };
}

export const uniqueUser = (label: string) => `${label}-${randomUUID()}@example.test`;

export type StoredAlertInput = {
  ruleId?: string;
  severity?: 'low' | 'medium' | 'high' | 'critical';
  riskScore?: number;
  status?: 'open' | 'acknowledged' | 'closed';
  closeReason?: string | null;
  assigneeId?: string | null;
  firstEventAt?: Date;
  lastEventAt?: Date;
  eventCount?: number;
  cluster?: string;
  username?: string | null;
  sourceIp?: string | null;
  sourceIps?: string[];
  userAgent?: string | null;
  podName?: string | null;
  namespaces?: string[];
  secretNames?: string[];
};

/** Stores one alert as the engine would, with no evidence; returns its id. */
export async function insertAlert(pool: pg.Pool, input: StoredAlertInput = {}): Promise<string> {
  const first = input.firstEventAt ?? new Date('2030-01-01T10:00:00Z');
  const last = input.lastEventAt ?? new Date(first.getTime() + 60_000);
  const sourceIp = input.sourceIp === undefined ? '192.0.2.10' : input.sourceIp;
  const result = await pool.query<{ id: string }>(
    `INSERT INTO alerts (id, rule_id, identity, group_key, window_start, window_end, severity, risk_score, status,
        close_reason, assignee_id, first_event_at, last_event_at, event_count, cluster, username, source_ip, source_ips,
        user_agent, pod_name, namespaces, secret_names, outcomes, response_codes, details, updated_at)
     VALUES (gen_random_uuid(), $1, $2, $2, $3, $4, $5::"Severity", $6, $7::"AlertStatus", $8::"CloseReason", $9, $3,
        $4, $10, $11, $12, $13, $14, $15, $16, $17, $18, '{allow}', '{200}', '{}', now())
     RETURNING id`,
    [
      input.ruleId ?? BURST_RULE,
      `test-${randomUUID()}`,
      first,
      last,
      input.severity ?? 'high',
      input.riskScore ?? 73,
      input.status ?? 'open',
      input.closeReason ?? null,
      input.assigneeId ?? null,
      input.eventCount ?? 3,
      input.cluster ?? 'factory',
      input.username === undefined ? uniqueUser('stored') : input.username,
      sourceIp,
      input.sourceIps ?? (sourceIp ? [sourceIp] : []),
      input.userAgent === undefined ? 'kubectl/v1.30.2' : input.userAgent,
      input.podName ?? null,
      input.namespaces ?? ['payments'],
      input.secretNames ?? ['db-credentials'],
    ],
  );
  return result.rows[0]!.id;
}

export type BurstInput = {
  user: string;
  start: Date;
  /** Distinct secret names, one GET each, 10 s apart. */
  names: string[];
  sourceIp?: string;
  cluster?: string;
  namespace?: string;
  podName?: string;
  userAgent?: string;
  groups?: string[];
};

/** The audit events of one client GETting each named secret in turn. */
export function secretGets(input: BurstInput): NativeEvent[] {
  return input.names.map((name, index) => {
    const time = new Date(input.start.getTime() + index * 10_000).toISOString();
    const namespace = input.namespace ?? 'payments';
    return nativeEvent({
      user: {
        username: input.user,
        groups: input.groups ?? ['system:authenticated'],
        extra: input.podName ? { 'authentication.kubernetes.io/pod-name': [input.podName] } : {},
      },
      sourceIPs: [input.sourceIp ?? '192.0.2.10'],
      userAgent: input.userAgent ?? 'kubectl/v1.30.2 (linux/amd64) kubernetes/39683505',
      requestURI: `/api/v1/namespaces/${namespace}/secrets/${name}`,
      objectRef: { resource: 'secrets', namespace, name, apiVersion: 'v1' },
      requestReceivedTimestamp: time,
      stageTimestamp: time,
    });
  });
}

export async function ingestEvents(pool: pg.Pool, events: unknown[], cluster = 'factory') {
  const summary = await ingestStream(
    bytesOf(ndjson(events)),
    { source: 'cli', format: 'k8s-audit', cluster },
    { pool },
  );
  if (summary.rejected > 0 || summary.status !== 'completed')
    throw new Error(`ingest failed: ${JSON.stringify(summary)}`);
  return summary;
}

/** Runs the burst rule over one slot, as the worker would after an ingest. */
export function detectBursts(pool: pg.Pool, slot: { start: Date; end: Date }) {
  return runDetection(pool, { from: slot.start, to: slot.end, ruleIds: [BURST_RULE] });
}

export type StoredAlert = { id: string; status: string; close_reason: string | null; event_count: number };

export async function alertsOf(pool: pg.Pool, user: string): Promise<StoredAlert[]> {
  const result = await pool.query<StoredAlert>(
    `SELECT id, status, close_reason, event_count FROM alerts WHERE username = $1 ORDER BY first_event_at, id`,
    [user],
  );
  return result.rows;
}

/** Ingests a burst and runs detection over its slot; returns the one alert it raised. */
export async function raiseBurstAlert(
  pool: pg.Pool,
  slot: { start: Date; end: Date },
  input: Omit<BurstInput, 'start'>,
) {
  await ingestEvents(pool, secretGets({ ...input, start: slot.start }), input.cluster);
  await detectBursts(pool, slot);
  const alerts = await alertsOf(pool, input.user);
  if (alerts.length !== 1) throw new Error(`expected one alert for ${input.user}, found ${alerts.length}`);
  return alerts[0]!;
}

export type HistoryRow = {
  kind: string;
  from_value: string | null;
  to_value: string | null;
  actor_name: string;
  actor_id: string | null;
  note: string | null;
};

/** The alert's history rows, oldest first. */
export async function historyOf(pool: pg.Pool, alertId: string): Promise<HistoryRow[]> {
  const result = await pool.query<HistoryRow>(
    `SELECT kind, from_value, to_value, actor_name, actor_id, note FROM alert_activity WHERE alert_id = $1 ORDER BY id`,
    [alertId],
  );
  return result.rows;
}

/** A JSON request to a route handler, as the browser (or a script) sends it. */
export function jsonRequest(url: string, method: string, body: unknown, headers: Record<string, string>): Request {
  return new Request(url, {
    method,
    headers: { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
