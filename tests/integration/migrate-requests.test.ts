// A database from before one-row-per-request migrates in place: its stage rows become requests in day
// partitions, their originals merge, alert evidence is relinked, copied and recounted.
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_MIGRATIONS_DIR, migrateDatabase } from '../../lib/db/migrate';
import { decodeOriginals } from '../../lib/events/stored-originals';
import { createScratchDatabase } from '../support/database';

const REQUESTS_MIGRATION = '20261202100000_requests_partitioned';
const database = await createScratchDatabase(inject('serverUrl'), 'migreq');
const before = mkdtempSync(path.join(os.tmpdir(), 'vigil-before-'));
for (const name of readdirSync(DEFAULT_MIGRATIONS_DIR))
  if (name < REQUESTS_MIGRATION)
    cpSync(path.join(DEFAULT_MIGRATIONS_DIR, name), path.join(before, name), { recursive: true });
const client = new pg.Client({ connectionString: database.url });
afterAll(async () => {
  await client.end();
  await database.drop();
  rmSync(before, { recursive: true, force: true });
});

describe('the one-row-per-request migration', () => {
  it('merges stage rows into requests, keeps both originals, and recounts and copies alert evidence', async () => {
    await migrateDatabase(database.url, before);
    await client.connect();
    await client.query(
      `INSERT INTO rules (id, name, description, severity, risk_score, mitre, parameters, default_parameters, updated_at)
       VALUES ('r', 'r', 'r', 'medium', 47, '[]', '{}', '{}', now())`,
    );
    // One request at two stages (RequestReceived knows no decision), one at ResponseComplete only, a file event.
    const rows = await client.query<{ id: string }>(
      `INSERT INTO audit_events (cluster, audit_id, stage, time, stage_time, verb, username, groups, source_ips,
          resource, name, response_code, decision, source_format)
       VALUES ('prod', 'a1', 'RequestReceived', '2026-11-20T10:00:00.123456Z', '2026-11-20T10:00:00.123456Z', 'get',
               'alice', '{}', '{10.0.0.1}', 'secrets', 'db', NULL, NULL, 'k8s-audit'),
              ('prod', 'a1', 'ResponseComplete', '2026-11-20T10:00:00.123456Z', '2026-11-20T10:00:00.200000Z', 'get',
               'alice', '{}', '{10.0.0.1}', 'secrets', 'db', 200, 'allow', 'k8s-audit'),
              ('prod', 'a2', 'ResponseComplete', '2026-11-21T08:00:00Z', '2026-11-21T08:00:01Z', 'list', 'bob', '{}',
               '{10.0.0.2}', 'secrets', NULL, 403, 'forbid', 'k8s-audit')
       RETURNING id::text`,
    );
    const [received, completed, other] = rows.rows.map((row) => row.id);
    await client.query(
      `INSERT INTO audit_event_originals (event_id, original) VALUES ($1, '{"stage":"RequestReceived"}'),
         ($2, '{"stage":"ResponseComplete"}'), ($3, '{"auditID":"a2"}')`,
      [received, completed, other],
    );
    await client.query(
      `INSERT INTO file_events (cluster, event_key, time, path, action, types, source_format, original)
       VALUES ('prod', 'f1', '2026-11-20T10:00:05Z', '/etc/passwd', 'open', '{change}', 'file-events', '{"f":1}')`,
    );
    const alert = await client.query<{ id: string }>(
      `INSERT INTO alerts (id, rule_id, identity, group_key, window_start, window_end, severity, risk_score, first_event_at,
          last_event_at, event_count, updated_at)
       VALUES (gen_random_uuid(), 'r', 'i', '{}', now(), now(), 'medium', 47, now(), now(), 2, now()) RETURNING id`,
    );
    await client.query(`INSERT INTO alert_events (alert_id, event_id) VALUES ($1, $2), ($1, $3)`, [
      alert.rows[0]!.id,
      received,
      completed,
    ]);

    const result = await migrateDatabase(database.url);
    expect(result.applied).toContain(REQUESTS_MIGRATION);

    const requests = await client.query(
      `SELECT audit_id, received_at IS NOT NULL AS received, completed_at IS NOT NULL AS completed, response_code,
              decision, tableoid::regclass::text AS partition
         FROM audit_events ORDER BY audit_id`,
    );
    expect(requests.rows).toEqual([
      {
        audit_id: 'a1',
        received: true,
        completed: true,
        response_code: 200,
        decision: 'allow',
        // A day's partition, then the cluster's within it.
        partition: `audit_events_20261120_${md5('prod').slice(0, 10)}`,
      },
      {
        audit_id: 'a2',
        received: false,
        completed: true,
        response_code: 403,
        decision: 'forbid',
        partition: `audit_events_20261121_${md5('prod').slice(0, 10)}`,
      },
    ]);
    const originals = await client.query(
      `SELECT e.audit_id, o.originals FROM audit_event_originals o JOIN audit_events e ON (e.id, e.time) = (o.event_id, o.time)
        ORDER BY 1`,
    );
    // Stored before originals were deflated: kept as their JSON text (version 0).
    expect(originals.rows.map((row) => ({ ...row, originals: JSON.parse(decodeOriginals(row.originals)) }))).toEqual([
      {
        audit_id: 'a1',
        originals: { RequestReceived: { stage: 'RequestReceived' }, ResponseComplete: { stage: 'ResponseComplete' } },
      },
      { audit_id: 'a2', originals: { ResponseComplete: { auditID: 'a2' } } },
    ]);
    const evidence = await client.query(
      `SELECT a.event_count, count(ae.*)::int AS links, count(v.*)::int AS copies, min(v.response_code) AS code
         FROM alerts a JOIN alert_events ae ON ae.alert_id = a.id JOIN evidence_audit_events v ON v.id = ae.event_id
        GROUP BY a.event_count`,
    );
    expect(evidence.rows).toEqual([{ event_count: 1, links: 1, copies: 1, code: 200 }]);
    const files = await client.query(`SELECT event_key, tableoid::regclass::text AS partition FROM file_events`);
    expect(files.rows).toEqual([{ event_key: 'f1', partition: `file_events_20261120_${md5('prod').slice(0, 10)}` }]);
    // New rows take ids after the old ones: the sequences came along.
    const next = await client.query<{ id: string }>(`SELECT nextval('audit_events_id_seq')::text AS id`);
    expect(BigInt(next.rows[0]!.id)).toBeGreaterThan(BigInt(other!));
  });
});

function md5(text: string) {
  return createHash('md5').update(text).digest('hex');
}
