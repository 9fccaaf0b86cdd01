// Retention against a real database: (day, cluster) partitions dropped whole per the global and
// per-cluster periods, alert evidence kept, a change that drops stored data confirmed first, a run
// interrupted midway finished by the next, and old uploads stored (and said to be expiring).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAlertEvidence } from '../../lib/alerts/read-alert';
import { AppError } from '../../lib/app-error';
import { runDetection } from '../../lib/engine/run-detection';
import { ingestStream } from '../../lib/ingest/ingest-stream';
import { seedDatabase } from '../../lib/seed/seed-database';
import { changeRetention } from '../../lib/storage/change-retention';
import { listPartitions } from '../../lib/storage/partitions';
import { runRetention } from '../../lib/storage/run-retention';
import { bytesOf, ndjson } from '../support/audit-events';
import { auditRequest, defendFileEvent } from '../support/investigation-events';
import { openTestDatabase } from '../support/test-database';

const database = await openTestDatabase('retention', { dbConnections: 1 });
const { pool, db } = database;
const admin = { id: null, name: 'retention test' };
const DAY_MS = 86_400_000;
const now = new Date();
const daysAgo = (days: number, minute = 0) => new Date(now.getTime() - days * DAY_MS - minute * 60_000);
const dayText = (date: Date) => date.toISOString().slice(0, 10);

async function upload(cluster: string, days: number[], label: string) {
  const records = days.flatMap((ago) =>
    Array.from({ length: 20 }, (_, index) =>
      auditRequest({
        time: daysAgo(ago, index).toISOString(),
        user: `system:serviceaccount:${label}:reader`,
        name: `s-${index % 4}`,
        sourceIPs: ['10.1.2.3'],
      }),
    ),
  );
  const summary = await ingestStream(
    bytesOf(ndjson(records)),
    { source: 'cli', format: 'k8s-audit', cluster },
    { pool },
  );
  expect(summary.status).toBe('completed');
  return summary;
}

async function storedDays(cluster: string) {
  const result = await pool.query<{ day: string }>(
    `SELECT DISTINCT (time AT TIME ZONE 'UTC')::date::text AS day FROM audit_events WHERE cluster = $1 ORDER BY day`,
    [cluster],
  );
  return result.rows.map((row) => row.day);
}

beforeAll(async () => {
  await seedDatabase(db, { demo: false });
  await upload('prod', [0, 1, 2, 3, 4], 'prod');
  await upload('dev', [0, 1, 2, 3, 4], 'dev');
  const files = [4, 0].map((ago) =>
    defendFileEvent({ time: daysAgo(ago).toISOString(), podName: 'web-1', namespace: 'web', cluster: 'dev' }),
  );
  await ingestStream(bytesOf(ndjson(files)), { source: 'cli', format: 'file-events', cluster: 'dev' }, { pool });
  // An alert whose evidence lies in a day retention will drop.
  await runDetection(pool, { from: daysAgo(5), to: new Date(now.getTime() + 60_000) });
});
afterAll(async () => {
  await database.close();
});

describe('retention', () => {
  it('keeps everything until a period is set', async () => {
    const dry = await runRetention(pool, { environmentDays: undefined, dryRun: true });
    expect(dry.dropped).toEqual([]);
    expect(await storedDays('prod')).toHaveLength(5);
  });

  it('asks before a change that drops stored events, and says what it drops', async () => {
    const error = await changeRetention(pool, { scope: '*', days: 3 }, admin, undefined).catch((caught) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(
      /makes 2 stored day\(s\) of raw events of dev, prod .*due for dropping.*confirm: true/,
    );
    const saved = await pool.query(`SELECT count(*)::int AS n FROM retention_settings`);
    expect(saved.rows[0].n).toBe(0);
    await changeRetention(pool, { scope: '*', days: 3, confirm: true }, admin, undefined);
    // A longer period for a cluster drops nothing more, so it needs no confirmation.
    await changeRetention(pool, { scope: 'prod', days: 30 }, admin, undefined);
  });

  it('drops whole (day, cluster) partitions past each period, and alert evidence stays', async () => {
    const alerts = await pool.query<{ id: string; event_count: number }>(
      `SELECT id, event_count FROM alerts WHERE cluster = 'dev' AND first_event_at < $1 ORDER BY first_event_at LIMIT 1`,
      [daysAgo(3)],
    );
    expect(alerts.rows.length).toBe(1);
    const alert = alerts.rows[0]!;
    const dry = await runRetention(pool, { environmentDays: undefined, dryRun: true });
    expect(dry.dropped.map((p) => `${p.day} ${p.cluster}`)).toEqual([
      `${dayText(daysAgo(4))} dev`,
      `${dayText(daysAgo(3))} dev`,
    ]);
    const result = await runRetention(pool, { environmentDays: undefined });
    expect(result.dropped).toHaveLength(2);
    expect(result.durationMs).toBeLessThan(5000);
    expect(await storedDays('dev')).toEqual([2, 1, 0].map((ago) => dayText(daysAgo(ago))));
    expect(await storedDays('prod')).toHaveLength(5);
    const files = await pool.query(`SELECT count(*)::int AS n FROM file_events`);
    expect(files.rows[0].n).toBe(1);
    const leaves = await listPartitions(pool);
    expect(leaves.some((p) => p.cluster === 'dev' && p.day <= dayText(daysAgo(3)))).toBe(false);
    // The alert opened on dropped days still shows every evidence event and its JSON.
    const evidence = await listAlertEvidence(pool, alert.id, 1, 100);
    expect(evidence.total).toBe(alert.event_count);
    expect(evidence.events.every((event) => event.original !== null)).toBe(true);
    expect((await runRetention(pool, { environmentDays: undefined })).dropped).toEqual([]);
    const runs = await pool.query(`SELECT jsonb_array_length(dropped) AS n, error FROM retention_runs ORDER BY id`);
    expect(runs.rows).toEqual([
      { n: 2, error: null },
      { n: 0, error: null },
    ]);
  });

  it('stores an upload older than the period, says it will age out, and the next run drops it', async () => {
    const summary = await upload('dev', [4], 'dev-late');
    expect(summary).toMatchObject({ stored: 20, expiring: 20 });
    expect(await storedDays('dev')).toContain(dayText(daysAgo(4)));
    await runRetention(pool, { environmentDays: undefined });
    expect(await storedDays('dev')).not.toContain(dayText(daysAgo(4)));
  });

  it('finishes what an interrupted run left: a detach pending and a table detached but not dropped', async () => {
    await upload('dev', [5, 6], 'dev-interrupted');
    const [pending, detached] = [5, 6].map((ago) => dayText(daysAgo(ago)).replaceAll('-', '')) as [string, string];
    const leaf = async (day: string) =>
      (
        await pool.query<{ leaf: string }>(`SELECT vigil_partition_name('audit_events', $1::date, 'dev') AS leaf`, [
          day,
        ])
      ).rows[0]!.leaf;
    // Killed between detaching and dropping.
    await pool.query(`ALTER TABLE audit_events_${detached} DETACH PARTITION ${await leaf(detached)}`);
    // Cancelled while DETACH … CONCURRENTLY waited for an older snapshot: the detach stays pending.
    const reader = await pool.connect();
    const detacher = await pool.connect();
    try {
      await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await reader.query('SELECT count(*) FROM audit_events');
      const pid = (await detacher.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      const waiting = detacher
        .query(`ALTER TABLE audit_events_${pending} DETACH PARTITION ${await leaf(pending)} CONCURRENTLY`)
        .catch((error: Error) => error);
      await new Promise((resolve) => setTimeout(resolve, 500));
      await pool.query('SELECT pg_cancel_backend($1)', [pid]);
      expect(String(await waiting)).toMatch(/cancel/);
      await reader.query('COMMIT');
    } finally {
      reader.release();
      detacher.release();
    }
    const states = await pool.query(`SELECT count(*)::int AS n FROM pg_inherits WHERE inhdetachpending`);
    expect(states.rows[0].n).toBe(1);
    const result = await runRetention(pool, { environmentDays: undefined });
    expect(result.finished).toBeGreaterThanOrEqual(2);
    const after = await pool.query(
      `SELECT (SELECT count(*) FROM pg_inherits WHERE inhdetachpending)::int AS pending,
              (SELECT count(*) FROM pg_class WHERE relname ~ '^audit_events_\\d{8}' AND NOT relispartition)::int AS orphans`,
    );
    expect(after.rows[0]).toEqual({ pending: 0, orphans: 0 });
    expect(await storedDays('dev')).toEqual([2, 1, 0].map((ago) => dayText(daysAgo(ago))));
  });
});
