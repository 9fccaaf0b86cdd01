// The UI benchmark's data: N generated events through the real ingest (past `ingest` events, the rest
// are earlier copies of what was ingested, a day apart), the rules over them, then synthetic alerts
// (built from stored events) up to the wanted count, with triage history.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { copyAuditEvidence } from '../../lib/alerts/replace-detected-alerts';
import { createDb } from '../../lib/db/client';
import { generateScenario } from '../../lib/demo/generate-scenario';
import { writeScenario } from '../../lib/demo/write-format';
import { auditEvents } from '../../lib/events/audit-event-columns';
import { fileEvents } from '../../lib/events/file-event-columns';
import { readStoredTimeRange } from '../../lib/events/read-stored-time-range';
import { runDetection } from '../../lib/engine/run-detection';
import { ingestStream } from '../../lib/ingest/ingest-stream';
import { seedDatabase } from '../../lib/seed/seed-database';
import { ensurePartitions, listPartitions } from '../../lib/storage/partitions';
import { applyAllMigrations } from '../commands/migrate';

const run = promisify(execFile);
const ROOT = path.join(import.meta.dirname, '../..');

export type BenchAccount = { email: string; password: string; userId: string };

export type UiLoadReport = {
  auditEvents: number;
  fileEvents: number;
  detectedAlerts: number;
  syntheticAlerts: number;
  /** Events that went through the ingest; the rest are `copies` earlier copies of them, a day apart. */
  ingestedEvents?: number;
  copies?: number;
  alerts: number;
  alertEventLinks: number;
  alertActivity: number;
  seconds: {
    ingest: number;
    copies?: number;
    detect: number;
    account: number;
    alerts: number;
    vacuum: number;
    total: number;
  };
};

const DATASET_TABLE = 'vigil_bench_dataset';

/** A dataset an earlier `--dataset` run loaded and marked complete: its figures and admin, or null. */
export async function readKeptDataset(url: string): Promise<{ report: UiLoadReport; account: BenchAccount } | null> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const found = await client.query<{ report: UiLoadReport; account: BenchAccount }>(
      `SELECT report, account FROM ${DATASET_TABLE} LIMIT 1`,
    );
    return found.rows[0] ?? null;
  } catch (error) {
    if ((error as { code?: string }).code === '42P01') return null; // not loaded, or a load that did not finish
    throw error;
  } finally {
    await client.end();
  }
}

/** Marks a finished load, so a later `--dataset` run reuses it instead of loading again. */
export async function markKeptDataset(url: string, loaded: { report: UiLoadReport; account: BenchAccount }) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE TABLE ${DATASET_TABLE} (report jsonb NOT NULL, account jsonb NOT NULL)`);
    await client.query(`INSERT INTO ${DATASET_TABLE} VALUES ($1, $2)`, [loaded.report, loaded.account]);
  } finally {
    await client.end();
  }
}

/** Loads the scratch database at `url`; `env` is what the CLI child (account creation) runs with. */
export async function loadUiBenchData(
  url: string,
  options: { events: number; alerts: number; ingest: number; env: Record<string, string> },
  log: (message: string) => void,
): Promise<{ report: UiLoadReport; account: BenchAccount }> {
  const started = performance.now();
  const seconds = { ingest: 0, copies: 0, detect: 0, account: 0, alerts: 0, vacuum: 0, total: 0 };
  const ingested = Math.min(options.events, options.ingest);
  const copies = Math.ceil(options.events / ingested) - 1;
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const db = createDb(url, 2);
  try {
    await applyAllMigrations(url);
    await seedDatabase(db, { demo: false });

    let step = performance.now();
    // The scenario ends four days ago, so the synthetic triage history (up to ~3 days after an alert) is in the past.
    const end = new Date(Date.now() - 4 * DAY);
    const scenario = generateScenario({ events: ingested, end });
    log(`loading ${ingested.toLocaleString('en-US')} generated events through the ingest pipeline…`);
    for (const format of ['k8s-audit', 'file-events'] as const) {
      const input = (async function* () {
        for (const text of writeScenario(scenario, format)) yield Buffer.from(text);
      })();
      const summary = await ingestStream(input, { source: 'cli', format, cluster: scenario.cluster }, { pool });
      log(`  ${format}: ${summary.stored.toLocaleString('en-US')} stored`);
    }
    // As if the logs had been shipped while they were written: the overview's ingest panel reads arrival times.
    await pool.query(
      `UPDATE ingest_batches SET started_at = $1::timestamptz - interval '5 minutes', finished_at = $1::timestamptz, updated_at = $1::timestamptz`,
      [end],
    );
    await pool.query('ANALYZE');
    seconds.ingest = elapsed(step);

    step = performance.now();
    if (copies > 0) {
      log(`adding ${copies} earlier copies of them, a day apart, by INSERT … SELECT (rollup triggers on)…`);
      await insertEarlierCopies(pool, copies, log);
      await pool.query('ANALYZE');
    }
    seconds.copies = elapsed(step);

    step = performance.now();
    log('running the rules over the stored range…');
    const range = await readStoredTimeRange(pool);
    if (!range) throw new Error('nothing was stored');
    const detection = await runDetection(pool, range);
    seconds.detect = elapsed(step);
    log(`  ${detection.created} alert(s) raised by the rules`);

    step = performance.now();
    const account = await createAdmin(options.env);
    seconds.account = elapsed(step);

    step = performance.now();
    const missing = Math.max(0, options.alerts - detection.created);
    log(`adding ${missing.toLocaleString('en-US')} synthetic alerts built from stored events…`);
    const synthetic = missing > 0 ? await insertSyntheticAlerts(pool, missing, account) : 0;
    seconds.alerts = elapsed(step);

    // VACUUM too, not only ANALYZE: autovacuum would have set the visibility map minutes after such a
    // load (index-only scans depend on it), and the figures must not hinge on whether it ran yet.
    step = performance.now();
    await pool.query('VACUUM (ANALYZE)');
    seconds.vacuum = elapsed(step);

    const counts = await pool.query<Record<string, string>>(
      `SELECT (SELECT count(*) FROM audit_events) AS audit_events, (SELECT count(*) FROM file_events) AS file_events,
          (SELECT count(*) FROM alerts) AS alerts, (SELECT count(*) FROM alert_events) AS alert_events,
          (SELECT count(*) FROM alert_activity) AS alert_activity`,
    );
    const row = counts.rows[0]!;
    seconds.total = elapsed(started);
    return {
      account,
      report: {
        auditEvents: Number(row.audit_events),
        fileEvents: Number(row.file_events),
        detectedAlerts: detection.created,
        syntheticAlerts: synthetic,
        ingestedEvents: ingested,
        copies,
        alerts: Number(row.alerts),
        alertEventLinks: Number(row.alert_events),
        alertActivity: Number(row.alert_activity),
        seconds,
      },
    };
  } finally {
    await pool.end();
    await db.$disconnect();
  }
}

/**
 * Days of a busy cluster without days of ingest: copy k of every stored event (its original JSON too) sits
 * k days earlier, with ids past the last ingested one and its own audit ids (file events: event keys). Rows go
 * in through INSERT, so the rollup triggers keep the rollups as an ingest would; the originals' JSON keeps the
 * ingested copy's timestamps.
 */
async function insertEarlierCopies(pool: pg.Pool, copies: number, log: (message: string) => void) {
  const bounds = await pool.query<{ audit: string; file: string }>(
    `SELECT (SELECT coalesce(max(id), 0) + 1 FROM audit_events)::text AS audit,
            (SELECT coalesce(max(id), 0) + 1 FROM file_events)::text AS file`,
  );
  const { audit: auditStride, file: fileStride } = bounds.rows[0]!;
  const stored = await listPartitions(pool);
  const shiftedTimes = new Set(['time', 'received_at', 'started_at', 'completed_at', 'panicked_at']);
  const selectList = (columns: string[], overrides: Record<string, string>) =>
    columns
      .map((name) => overrides[name] ?? (shiftedTimes.has(name) ? `${name} - $1::int * interval '1 day'` : name))
      .join(', ');
  const auditColumns = Object.values(auditEvents.columns).map((spec) => spec.column);
  const fileColumns = Object.values(fileEvents.columns).map((spec) => spec.column);
  for (let copy = 1; copy <= copies; copy++) {
    const started = performance.now();
    await ensurePartitions(
      pool,
      stored.map((key) => ({
        day: new Date(Date.parse(`${key.day}T00:00:00Z`) - copy * DAY).toISOString().slice(0, 10),
        cluster: key.cluster,
      })),
    );
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO audit_events (${auditColumns.join(', ')})
         SELECT ${selectList(auditColumns, { id: `id + $1::int * $2::bigint`, audit_id: `audit_id || '-' || $1::int` })}
           FROM audit_events WHERE id < $2::bigint`,
        [copy, auditStride],
      );
      await client.query(
        `INSERT INTO audit_event_originals (event_id, time, cluster, originals)
         SELECT event_id + $1::int * $2::bigint, time - $1::int * interval '1 day', cluster, originals
           FROM audit_event_originals WHERE event_id < $2::bigint`,
        [copy, auditStride],
      );
      await client.query(
        `INSERT INTO file_events (${fileColumns.join(', ')})
         SELECT ${selectList(fileColumns, { id: `id + $1::int * $2::bigint`, event_key: `event_key || '-' || $1::int` })}
           FROM file_events WHERE id < $2::bigint`,
        [copy, fileStride],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
    log(`  copy ${copy}/${copies} in ${elapsed(started)} s`);
  }
  // Later inserts (synthetic alerts read ids; nothing else writes events here) start past the copies.
  await pool.query(
    `SELECT setval(pg_get_serial_sequence('audit_events', 'id'), (SELECT max(id) FROM audit_events)),
            setval(pg_get_serial_sequence('file_events', 'id'), greatest((SELECT max(id) FROM file_events), 1))`,
  );
}

/** An admin made by the product's own verb (`vigil user create`), in a child with the scratch database's env. */
async function createAdmin(env: Record<string, string>): Promise<BenchAccount> {
  const email = 'bench-admin@vigil.bench';
  const password = `bench-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}`;
  const child = await run(
    process.execPath,
    [
      path.join(ROOT, 'bin/vigil.mjs'),
      'user',
      'create',
      '--email',
      email,
      '--name',
      'Bench admin',
      '--role',
      'admin',
      '--password',
      password,
      '--json',
    ],
    { cwd: ROOT, env: { ...process.env, ...env }, maxBuffer: 1024 * 1024 },
  ).catch((error: { stdout?: string; stderr?: string; message: string }) => {
    throw new Error(`vigil user create failed: ${error.stdout || error.stderr || error.message}`);
  });
  const result = JSON.parse(child.stdout) as { ok: boolean; user?: { id: string }; error?: string };
  if (!result.ok || !result.user) throw new Error(`vigil user create failed: ${child.stdout}`);
  return { email, password, userId: result.user.id };
}

/**
 * `count` alerts whose entity fields come from stored audit events: a random sample of events
 * (70% secret reads) each seeds one alert, linked to it and the same user's next 1–5 events.
 * Statuses are mixed (about 55% open, 20% acknowledged, 25% closed with a reason), with the
 * activity rows triage would have written (created, assigned, acknowledged, closed), so the
 * overview's time-to-acknowledge, time-to-close and false-positive panels have data.
 */
async function insertSyntheticAlerts(pool: pg.Pool, count: number, account: BenchAccount): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT setseed(0.42)');
    const totals = await client.query<{ secrets: string; total: string }>(
      `SELECT count(*) FILTER (WHERE resource = 'secrets') AS secrets, count(*) AS total
         FROM audit_events WHERE username IS NOT NULL AND source_ip IS NOT NULL`,
    );
    const secrets = Number(totals.rows[0]!.secrets);
    const total = Number(totals.rows[0]!.total);
    if (total === 0) throw new Error('no stored audit event has a user and a source IP to build alerts from');
    const fromSecrets = Math.min(secrets, Math.round(count * 0.7));
    // Sample three times what is needed (BERNOULLI is approximate), then keep a random `count`.
    const percent = (wanted: number, of: number) => Math.min(100, ((wanted * 3) / Math.max(of, 1)) * 100);
    await client.query(
      `CREATE TEMP TABLE bench_seeds ON COMMIT DROP AS
       WITH secret_reads AS (
         SELECT id, username, source_ip, source_ips, user_agent, pod_name, cluster, time
           FROM audit_events TABLESAMPLE BERNOULLI ($1) REPEATABLE (42)
          WHERE resource = 'secrets' AND username IS NOT NULL AND source_ip IS NOT NULL
          ORDER BY random() LIMIT $2
       ), others AS (
         SELECT id, username, source_ip, source_ips, user_agent, pod_name, cluster, time
           FROM audit_events TABLESAMPLE BERNOULLI ($3) REPEATABLE (43)
          WHERE username IS NOT NULL AND source_ip IS NOT NULL AND id NOT IN (SELECT id FROM secret_reads)
          ORDER BY random() LIMIT $4
       )
       SELECT row_number() OVER (ORDER BY random()) AS n, s.* FROM (SELECT * FROM secret_reads UNION ALL SELECT * FROM others) s`,
      [percent(fromSecrets, secrets), fromSecrets, percent(count - fromSecrets, total), count - fromSecrets],
    );
    await client.query(
      `CREATE TEMP TABLE bench_links ON COMMIT DROP AS
       SELECT s.n, x.id AS event_id, x.time, x.namespace, x.name, x.resource, x.response_code,
           CASE WHEN x.decision = 'forbid' OR x.response_code IN (401, 403) THEN 'forbidden'
             WHEN x.decision = 'allow' OR x.response_code BETWEEN 200 AND 399 THEN 'allowed' ELSE 'other' END AS outcome
         FROM bench_seeds s CROSS JOIN LATERAL (
           SELECT e.id, e.time, e.namespace, e.name, e.resource, e.response_code, e.decision FROM audit_events e
            WHERE e.username = s.username AND e.time >= s.time AND (e.id = s.id OR e.source_ip = s.source_ip)
            ORDER BY e.time, e.id LIMIT 2 + (s.n % 5)::int) x`,
    );
    await client.query(
      `CREATE TEMP TABLE bench_alerts ON COMMIT DROP AS
       WITH evidence AS (
         SELECT n, min(time) AS first_at, max(time) AS last_at, count(*)::int AS events,
             array_agg(DISTINCT namespace ORDER BY namespace) FILTER (WHERE namespace IS NOT NULL) AS namespaces,
             array_agg(DISTINCT name ORDER BY name) FILTER (WHERE resource = 'secrets' AND name IS NOT NULL) AS secret_names,
             array_agg(DISTINCT outcome ORDER BY outcome) AS outcomes,
             array_agg(DISTINCT response_code ORDER BY response_code) FILTER (WHERE response_code IS NOT NULL) AS response_codes
           FROM bench_links GROUP BY n
       ), numbered_rules AS (
         SELECT id, severity, risk_score, (row_number() OVER (ORDER BY id) - 1)::int AS i, count(*) OVER ()::int AS rules
           FROM rules
       ), drawn AS (
         SELECT s.*, v.first_at, v.last_at, v.events, v.namespaces, v.secret_names, v.outcomes, v.response_codes,
             random() AS status_draw, random() AS reason_draw, random() AS acked_draw, random() AS assign_draw,
             v.last_at + interval '10 minutes' * (0.05 + random()) AS raised_at,
             interval '1 minute' * (2 + 600 * random() ^ 3) AS ack_after,
             interval '1 minute' * (10 + 4320 * random() ^ 3) AS close_after
           FROM bench_seeds s JOIN evidence v USING (n)
       ), statused AS (
         SELECT d.*, CASE WHEN status_draw < 0.55 THEN 'open' WHEN status_draw < 0.75 THEN 'acknowledged' ELSE 'closed' END AS status
           FROM drawn d
       )
       SELECT gen_random_uuid() AS id, s.n, r.id AS rule_id, s.cluster, s.username, s.source_ip,
           coalesce(s.source_ips, ARRAY[s.source_ip]) AS source_ips, s.user_agent, s.pod_name,
           coalesce(s.namespaces, '{}') AS namespaces, coalesce(s.secret_names, '{}') AS secret_names,
           s.outcomes, coalesce(s.response_codes, '{}') AS response_codes, s.first_at, s.last_at, s.events,
           jsonb_build_object('username', s.username, 'sourceIp', s.source_ip, 'userAgent', s.user_agent)::text AS group_key,
           r.severity, least(100, greatest(1, r.risk_score + (s.n % 11)::int - 5)) AS risk_score,
           s.status::"AlertStatus" AS status,
           CASE WHEN s.status <> 'closed' THEN NULL
             WHEN s.reason_draw < 0.40 THEN 'false_positive' WHEN s.reason_draw < 0.65 THEN 'benign_positive'
             WHEN s.reason_draw < 0.85 THEN 'true_positive' WHEN s.reason_draw < 0.95 THEN 'duplicate'
             ELSE 'other' END::"CloseReason" AS close_reason,
           s.raised_at AS created_at,
           CASE WHEN s.status = 'acknowledged' OR (s.status = 'closed' AND s.acked_draw < 0.6)
             THEN s.raised_at + s.ack_after END AS acknowledged_at,
           CASE WHEN s.status = 'closed' THEN s.raised_at + s.ack_after + s.close_after END AS closed_at,
           s.status <> 'open' OR s.assign_draw < 0.1 AS assigned
         FROM statused s JOIN numbered_rules r ON r.i = (s.n % r.rules)::int`,
    );
    const inserted = await client.query(
      `INSERT INTO alerts (id, rule_id, identity, group_key, window_start, window_end, severity, risk_score, status,
           close_reason, assignee_id, first_event_at, last_event_at, event_count, cluster, username, source_ip,
           source_ips, user_agent, pod_name, namespaces, secret_names, outcomes, response_codes, details,
           created_at, updated_at)
       SELECT id, rule_id, encode(sha256(convert_to('bench-ui' || E'\\n' || rule_id || E'\\n' || group_key || E'\\n' || n, 'UTF8')), 'hex'),
           group_key, first_at, greatest(last_at, first_at + interval '10 minutes'), severity, risk_score, status,
           close_reason, CASE WHEN assigned THEN $1::uuid END, first_at, last_at, events, cluster, username, source_ip,
           source_ips, user_agent, pod_name, namespaces, secret_names, outcomes, response_codes, '{}'::jsonb,
           created_at, coalesce(closed_at, acknowledged_at, created_at)
         FROM bench_alerts`,
      [account.userId],
    );
    // Evidence rows first, as the engine writes them: alert_events links the copies that outlive retention.
    const linked = await client.query<{ id: string; time: string }>(
      `SELECT DISTINCT event_id::text AS id, to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS time FROM bench_links`,
    );
    await copyAuditEvidence(
      client,
      linked.rows.map((row) => row.id),
      linked.rows.map((row) => row.time),
    );
    await client.query(
      `INSERT INTO alert_events (alert_id, event_id) SELECT a.id, l.event_id FROM bench_alerts a JOIN bench_links l USING (n)`,
    );
    await client.query(
      `INSERT INTO alert_activity (alert_id, actor_id, actor_name, kind, from_value, to_value, note, created_at)
       SELECT id, NULL, 'system', 'created', NULL, 'open', 'raised by the detection engine with ' || events || ' evidence event(s)', created_at
         FROM bench_alerts
       UNION ALL
       SELECT id, $1::uuid, $2, 'assignee', NULL, $3, NULL, coalesce(acknowledged_at, closed_at, created_at + interval '3 minutes') - interval '1 minute'
         FROM bench_alerts WHERE assigned
       UNION ALL
       SELECT id, $1::uuid, $2, 'status', 'open', 'acknowledged', NULL, acknowledged_at
         FROM bench_alerts WHERE acknowledged_at IS NOT NULL
       UNION ALL
       SELECT id, $1::uuid, $2, 'status', CASE WHEN acknowledged_at IS NULL THEN 'open' ELSE 'acknowledged' END, 'closed', NULL, closed_at
         FROM bench_alerts WHERE closed_at IS NOT NULL
       UNION ALL
       SELECT id, $1::uuid, $2, 'reason', NULL, close_reason::text,
           CASE WHEN n % 3 = 0 THEN 'checked with the service owner: expected behaviour' END, closed_at
         FROM bench_alerts WHERE closed_at IS NOT NULL`,
      [account.userId, 'Bench admin', account.email],
    );
    await client.query('COMMIT');
    return inserted.rowCount ?? 0;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

const DAY = 86_400_000;
const elapsed = (since: number) => Math.round((performance.now() - since) / 10) / 100;
