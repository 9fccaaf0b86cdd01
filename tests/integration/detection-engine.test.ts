import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb } from '../../lib/db/client';
import { generateScenario } from '../../lib/demo/generate-scenario';
import { writeScenario } from '../../lib/demo/write-format';
import { readStoredTimeRange } from '../../lib/events/read-stored-time-range';
import { runDetection } from '../../lib/engine/run-detection';
import { ingestStream } from '../../lib/ingest/ingest-stream';
import { seedDatabase } from '../../lib/seed/seed-database';
import { applyAllMigrations } from '../../scripts/commands/migrate';
import { startVigilWorker } from '../../lib/worker/vigil-worker';
import { bytesOf, nativeEvent, ndjson } from '../support/audit-events';
import { createScratchDatabase } from '../support/database';

// Alerts are global state: this file works in a database of its own.
const database = await createScratchDatabase(inject('serverUrl'), 'detect');
await applyAllMigrations(database.url);
const pool = new pg.Pool({ connectionString: database.url, max: 4 });
const db = createDb(database.url, 2);
const scenario = generateScenario({ events: 8000, end: new Date('2026-11-20T12:00:00Z') });
let range: { from: Date; to: Date };

async function ingestText(texts: Iterable<string>, format: 'k8s-audit' | 'file-events', fileName: string) {
  const joined = [...texts].join('');
  return ingestStream(bytesOf(joined, 65536), { source: 'cli', format, fileName, cluster: scenario.cluster }, { pool });
}

async function storedAlerts() {
  const result = await pool.query<{
    id: string;
    rule_id: string;
    identity: string;
    event_count: number;
    status: string;
    audit_ids: string[];
  }>(
    `SELECT a.id, a.rule_id, a.identity, a.event_count, a.status,
            coalesce(array_agg(DISTINCT e.audit_id) FILTER (WHERE e.audit_id IS NOT NULL), '{}') AS audit_ids
       FROM alerts a LEFT JOIN alert_events ae ON ae.alert_id = a.id LEFT JOIN audit_events e ON e.id = ae.event_id
      GROUP BY a.id ORDER BY a.rule_id, a.first_event_at`,
  );
  return result.rows;
}

beforeAll(async () => {
  await seedDatabase(db, { demo: false });
  await ingestText(writeScenario(scenario, 'k8s-audit'), 'k8s-audit', 'scenario.ndjson');
  await ingestText(writeScenario(scenario, 'file-events'), 'file-events', 'scenario-files.ndjson');
  range = (await readStoredTimeRange(pool))!;
});
afterAll(async () => {
  await pool.end();
  await db.$disconnect();
  await database.drop();
});

describe('runDetection', () => {
  it('previews without writing anything', async () => {
    const preview = await runDetection(pool, { ...range, dryRun: true });
    expect(preview.rules.flatMap((rule) => rule.alerts)).toHaveLength(scenario.groundTruth.alerts.length);
    expect(await storedAlerts()).toEqual([]);
    expect((await pool.query('SELECT count(*)::int AS n FROM rule_runs')).rows[0].n).toBe(0);
  });

  it('raises exactly the planted attacks, each with all of its evidence, and nothing for background or decoys', async () => {
    const result = await runDetection(pool, range);
    expect(result.created).toBe(scenario.groundTruth.alerts.length);
    const alerts = await storedAlerts();
    expect(alerts).toHaveLength(scenario.groundTruth.alerts.length);
    for (const expected of scenario.groundTruth.alerts) {
      const match = alerts.find(
        (alert) =>
          alert.rule_id === expected.ruleId &&
          [...alert.audit_ids].sort().join() === [...expected.auditIds].sort().join(),
      );
      expect(match, `${expected.ruleId}: ${expected.summary}`).toBeDefined();
      expect(match!.event_count).toBe(expected.auditEventCount + expected.fileEventIds.length);
      expect(match!.status).toBe('open');
    }
    const history = await pool.query(
      `SELECT count(*)::int AS n FROM alert_activity WHERE kind = 'created' AND actor_name = 'system'`,
    );
    expect(history.rows[0].n).toBe(alerts.length);
  });

  it('changes nothing when the same range runs again', async () => {
    const before = await storedAlerts();
    const again = await runDetection(pool, range);
    expect(again).toMatchObject({ created: 0, updated: 0 });
    expect(await storedAlerts()).toEqual(before);
  });

  it('extends the existing alert when a late event arrives inside its window', async () => {
    const expected = scenario.groundTruth.alerts.find(
      (alert) => alert.ruleId === 'secret-read-by-node-or-pod-sa' && alert.key.podName,
    );
    expect(expected).toBeDefined();
    const template = [...scenario.auditEvents()].find((event) => event.auditID === expected!.auditIds[0])!;
    const lateTime = new Date(Date.parse(expected!.lastEventTime) + 1000).toISOString();
    const late = {
      ...template,
      auditID: 'late-0000-4000-8000-000000000001',
      requestReceivedTimestamp: lateTime,
      stageTimestamp: lateTime,
    };
    const before = (await storedAlerts()).filter((alert) => alert.rule_id === expected!.ruleId);

    await ingestStream(
      bytesOf(ndjson([late])),
      { source: 'cli', format: 'k8s-audit', cluster: scenario.cluster },
      { pool },
    );
    const result = await runDetection(pool, { from: new Date(lateTime), to: new Date(Date.parse(lateTime) + 1) });
    expect(result).toMatchObject({ created: 0, updated: 1 });
    const after = (await storedAlerts()).filter((alert) => alert.rule_id === expected!.ruleId);
    expect(after.map((alert) => alert.identity)).toEqual(before.map((alert) => alert.identity));
    const grown = after.find((alert) => alert.audit_ids.includes(late.auditID))!;
    expect(grown.event_count).toBe(before.find((alert) => alert.id === grown.id)!.event_count + 1);
  });

  it('lets an allowlist entry keep matching events out of alerts, and counts its hits', async () => {
    const r2 = scenario.groundTruth.alerts.find((alert) => alert.ruleId === 'rapid-secret-get-multiple-objects')!;
    const entry = await db.allowlistEntry.create({
      data: {
        ruleId: r2.ruleId,
        conditions: [{ field: 'sourceIp', op: 'cidr', value: `${r2.key.sourceIp}/32` }],
        reason: 'test: scanner address',
        authorName: 'test',
      },
    });
    const preview = await runDetection(pool, { ...range, ruleIds: [r2.ruleId], dryRun: true });
    expect(preview.rules[0]!.alerts).toEqual([]);
    expect(preview.rules[0]!.allowlisted).toBeGreaterThan(0);
    await runDetection(pool, { ...range, ruleIds: [r2.ruleId] });
    const hits = await db.allowlistEntry.findUniqueOrThrow({ where: { id: entry.id } });
    expect(Number(hits.hitCount)).toBe(preview.rules[0]!.allowlisted);
    expect(hits.lastHitAt).toBeInstanceOf(Date);

    await db.allowlistEntry.update({ where: { id: entry.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await runDetection(pool, { ...range, ruleIds: [r2.ruleId], dryRun: true });
    expect(expired.rules[0]!.alerts).toHaveLength(1);
  });

  it('queued one detect job per cluster for what the batches stored, with the range it waits for', async () => {
    const batches = await db.ingestBatch.findMany({ where: { stored: { gt: 0 } } });
    const clusters = [...new Set(batches.flatMap((batch) => batch.clusters))].sort();
    const jobs = await pool.query<{ key: string }>(
      `SELECT key FROM graphile_worker.jobs WHERE task_identifier = 'detect'`,
    );
    expect(jobs.rows.map((job) => job.key).sort()).toEqual(clusters.map((cluster) => `detect-${cluster}`));
    const pending = await pool.query<{ cluster: string; from_time: Date; to_time: Date }>(
      `SELECT * FROM detect_pending ORDER BY cluster`,
    );
    expect(pending.rows.map((row) => row.cluster)).toEqual(clusters);
    const stored = await pool.query<{ min: Date; max: Date }>(`SELECT min(time), max(time) FROM audit_events`);
    expect(pending.rows[0]!.from_time.getTime()).toBeLessThanOrEqual(stored.rows[0]!.min.getTime());
    expect(pending.rows.at(-1)!.to_time.getTime()).toBeGreaterThan(stored.rows[0]!.max.getTime());
  });

  it('runs in the background: an ingested batch is detected by the worker without anyone asking', async () => {
    const worker = await startVigilWorker({ db, databaseUrl: database.url, concurrency: 1 });
    try {
      const start = Date.parse('2026-11-20T13:00:00Z');
      const burst = ['db-password', 'stripe-key', 'tls-cert', 'registry-creds'].map((name, index) =>
        nativeEvent({
          user: { username: 'mallory@example.com', groups: ['system:authenticated'] },
          sourceIPs: ['203.0.113.99'],
          userAgent: 'curl/8.5.0',
          objectRef: { resource: 'secrets', namespace: 'payments', name, apiVersion: 'v1' },
          requestReceivedTimestamp: new Date(start + index * 20_000).toISOString(),
        }),
      );
      await ingestStream(
        bytesOf(ndjson(burst)),
        { source: 'upload', format: 'k8s-audit', cluster: scenario.cluster },
        { pool },
      );
      let alert: { rule_id: string; event_count: number } | undefined;
      for (let attempt = 0; attempt < 60 && !alert; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        alert = (await pool.query(`SELECT rule_id, event_count FROM alerts WHERE username = 'mallory@example.com'`))
          .rows[0];
      }
      expect(alert).toEqual({ rule_id: 'rapid-secret-get-multiple-objects', event_count: 4 });
    } finally {
      await worker.stop();
    }
  });
});
