// Logs with both stages of every request (what most audit policies write): every figure counts requests.
// Alerts, their evidence, entity pages and the outcome split say 6 for six reads, never 12.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb } from '../../lib/db/client';
import { runDetection } from '../../lib/engine/run-detection';
import { decodeOriginals } from '../../lib/events/stored-originals';
import { readEntityProfile } from '../../lib/entities/read-entity';
import { ingestStream } from '../../lib/ingest/ingest-stream';
import { seedDatabase } from '../../lib/seed/seed-database';
import { applyAllMigrations } from '../../scripts/commands/migrate';
import { bothStages, bytesOf, nativeEvent, ndjson } from '../support/audit-events';
import { createScratchDatabase } from '../support/database';

// Alerts are global state: this file works in a database of its own.
const database = await createScratchDatabase(inject('serverUrl'), 'once');
await applyAllMigrations(database.url);
const pool = new pg.Pool({ connectionString: database.url, max: 4 });
const db = createDb(database.url, 2);
beforeAll(async () => {
  await seedDatabase(db, { demo: false });
});
afterAll(async () => {
  await pool.end();
  await db.$disconnect();
  await database.drop();
});

const START = Date.parse('2047-05-01T10:00:00Z');
const at = (seconds: number) => new Date(START + seconds * 1000).toISOString();

async function ingest(records: unknown[], cluster: string) {
  return ingestStream(bytesOf(ndjson(records)), { source: 'cli', format: 'k8s-audit', cluster }, { pool });
}

async function alertsOf(username: string) {
  const result = await pool.query<{ rule_id: string; event_count: number; outcomes: string[]; links: number }>(
    `SELECT a.rule_id, a.event_count, a.outcomes, (SELECT count(*)::int FROM alert_events WHERE alert_id = a.id) AS links
       FROM alerts a WHERE a.username = $1 ORDER BY a.rule_id`,
    [username],
  );
  return result.rows;
}

describe('a log with both stages of every request', () => {
  it('raises alerts whose counts are requests, and an entity page that counts them once', async () => {
    const serviceAccount = `system:serviceaccount:payments:api-${randomUUID().slice(0, 8)}`;
    const person = `contractor-${randomUUID().slice(0, 8)}@example.com`;
    const reads = Array.from({ length: 6 }, (_, index) =>
      nativeEvent({
        user: { username: serviceAccount, groups: ['system:serviceaccounts'] },
        objectRef: { resource: 'secrets', namespace: 'payments', name: `secret-${index}`, apiVersion: 'v1' },
        requestReceivedTimestamp: at(index * 10),
        stageTimestamp: at(index * 10 + 1),
      }),
    );
    const lists = Array.from({ length: 20 }, (_, index) =>
      nativeEvent({
        verb: 'list',
        user: { username: person, groups: ['system:authenticated'] },
        sourceIPs: ['203.0.113.40'],
        objectRef: { resource: 'secrets', namespace: `team-${index}`, apiVersion: 'v1' },
        requestReceivedTimestamp: at(100 + index * 5),
        stageTimestamp: at(100 + index * 5 + 1),
      }),
    );
    const summary = await ingest([...reads, ...lists].flatMap(bothStages), 'both-stages');
    expect(summary).toMatchObject({ received: 52, stored: 52, requests: 26, duplicates: 0 });
    await runDetection(pool, { from: new Date(at(-60)), to: new Date(at(600)) });

    expect(await alertsOf(serviceAccount)).toEqual([
      { rule_id: 'rapid-secret-get-multiple-objects', event_count: 6, outcomes: ['allow'], links: 6 },
      { rule_id: 'secret-read-by-node-or-pod-sa', event_count: 6, outcomes: ['allow'], links: 6 },
    ]);
    expect(await alertsOf(person)).toEqual([
      { rule_id: 'secret-enumeration-by-user', event_count: 20, outcomes: ['allow'], links: 20 },
    ]);

    const profile = await readEntityProfile(pool, { kind: 'user', name: person }, { from: at(0), to: at(600) });
    expect(profile.totals).toMatchObject({ events: 20, allowed: 20, forbidden: 0, other: 0 });
    const outcomes = profile.activity.buckets.reduce(
      (sum, bucket) => ({ allowed: sum.allowed + bucket.allowed, other: sum.other + bucket.other }),
      { allowed: 0, other: 0 },
    );
    // The RequestReceived half used to be a "no outcome" bar as tall as the real one.
    expect(outcomes).toEqual({ allowed: 20, other: 0 });
  });

  it('completes an alert’s evidence when a request’s ResponseComplete arrives after the alert was raised', async () => {
    const username = `burst-${randomUUID().slice(0, 8)}@example.com`;
    const gets = Array.from({ length: 3 }, (_, index) =>
      nativeEvent({
        user: { username, groups: ['system:authenticated'] },
        sourceIPs: ['198.51.100.77'],
        objectRef: { resource: 'secrets', namespace: 'prod', name: `key-${index}`, apiVersion: 'v1' },
        requestReceivedTimestamp: at(1000 + index * 20),
        stageTimestamp: at(1000 + index * 20 + 1),
      }),
    );
    const stages = gets.map(bothStages);
    await ingest(
      stages.map(([received]) => received),
      'late-stage',
    );
    const range = { from: new Date(at(900)), to: new Date(at(1200)) };
    await runDetection(pool, range);
    expect(await alertsOf(username)).toEqual([
      { rule_id: 'rapid-secret-get-multiple-objects', event_count: 3, outcomes: [], links: 3 },
    ]);

    const late = await ingest(
      stages.map(([, complete]) => complete),
      'late-stage',
    );
    expect(late).toMatchObject({ stored: 3, requests: 0 });
    await runDetection(pool, range);
    const [alert] = await alertsOf(username);
    expect(alert).toMatchObject({ event_count: 3, links: 3 });
    const evidence = await pool.query(
      `SELECT v.response_code, v.decision, v.completed_at IS NOT NULL AS completed, v.originals
         FROM alert_events ae JOIN evidence_audit_events v ON v.id = ae.event_id JOIN alerts a ON a.id = ae.alert_id
        WHERE a.username = $1`,
      [username],
    );
    // Each copy follows its request: the response code, decision and both originals arrived.
    expect(evidence.rows).toHaveLength(3);
    for (const { originals, ...row } of evidence.rows) {
      expect(row).toMatchObject({ response_code: 200, decision: 'allow', completed: true });
      expect(Object.keys(JSON.parse(decodeOriginals(originals))).sort()).toEqual([
        'RequestReceived',
        'ResponseComplete',
      ]);
    }
  });
});
