// Issue 20's five cases end to end: uploads through ingest, detection by a running worker (the
// clusters' coalesced detect jobs), later uploads with late events; the alerts end as one run over
// everything would have them, the alert an analyst already saw kept (its window moved, its history
// saying so) rather than a second, overlapping one opened beside it.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb } from '../../lib/db/client';
import { ingestStream } from '../../lib/ingest/ingest-stream';
import { seedDatabase } from '../../lib/seed/seed-database';
import { updateRuleSettings } from '../../lib/rules/update-rule-settings';
import type { RunningWorker } from '../../lib/jobs/run-worker';
import { startVigilWorker } from '../../lib/worker/vigil-worker';
import { applyAllMigrations } from '../../scripts/commands/migrate';
import { bytesOf, ndjson } from '../support/audit-events';
import { createScratchDatabase } from '../support/database';
import { auditRequest, defendFileEvent } from '../support/investigation-events';
import { waitFor } from '../support/wait-for';

const database = await createScratchDatabase(inject('serverUrl'), 'late');
await applyAllMigrations(database.url);
const pool = new pg.Pool({ connectionString: database.url, max: 4 });
const db = createDb(database.url, 2);
let worker: RunningWorker;

beforeAll(async () => {
  await seedDatabase(db, { demo: false });
  worker = await startVigilWorker({ db, databaseUrl: database.url, concurrency: 2 });
});
afterAll(async () => {
  await worker.stop();
  await pool.end();
  await db.$disconnect();
  await database.drop();
});

const at = (clock: string) => `2026-11-19T${clock}.000000Z`;

/** Uploads records as one batch of `cluster`, then waits until the worker has detected everything pending. */
async function upload(records: unknown[], cluster = 'prod-eu', format: 'k8s-audit' | 'file-events' = 'k8s-audit') {
  const summary = await ingestStream(bytesOf(ndjson(records)), { source: 'upload', format, cluster }, { pool });
  expect(summary).toMatchObject({ status: 'completed', rejected: 0 });
  await waitFor('the worker to detect the upload', 30_000, async () => {
    const waiting = await pool.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM detect_pending) + (SELECT count(*) FROM detect_claims)
            + (SELECT count(*) FROM graphile_worker.jobs WHERE task_identifier = 'detect') AS n`,
    );
    return Number(waiting.rows[0]!.n) === 0 ? true : undefined;
  });
}

type StoredAlert = {
  id: string;
  window_start: Date;
  window_end: Date;
  event_count: number;
  details: Record<string, unknown>;
  withdrawn_at: Date | null;
};

async function alertsOf(ruleId: string, username: string): Promise<StoredAlert[]> {
  const result = await pool.query<StoredAlert>(
    `SELECT id, window_start, window_end, event_count, details, withdrawn_at FROM alerts
      WHERE rule_id = $1 AND username = $2 ORDER BY window_start`,
    [ruleId, username],
  );
  return result.rows;
}

const raised = (alerts: StoredAlert[]) => alerts.filter((alert) => alert.withdrawn_at === null);

describe('late events, partial ranges and clusters, through ingest and the worker', () => {
  it('R3: the window anchors at the first match, whatever part of the history arrives first', async () => {
    const user = 'contractor@example.com';
    const gets = Array.from({ length: 17 }, (_, index) => {
      const minute = index < 15 ? 31 + index : 62 + index;
      const clock = `${String(10 + Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00`;
      return auditRequest({ time: at(clock), user, name: `secret-${index}`, sourceIPs: ['203.0.113.5'] });
    });
    // 10:45 onwards first: on their own they hold fewer than 15 names.
    await upload(gets.slice(14));
    await upload(gets.slice(0, 14));
    const alerts = raised(await alertsOf('secret-enumeration-by-user', user));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.window_start.toISOString()).toBe('2026-11-19T10:31:00.000Z');
    expect(alerts[0]!.details).toMatchObject({ distinctValueCount: 15 });

    // 16 gets where no 30-minute window from the first match holds 15 names raise nothing, however split.
    const other = 'auditor@example.com';
    const spread = [
      auditRequest({ time: at('10:21:00'), user: other, name: 'first', sourceIPs: ['203.0.113.6'] }),
      ...Array.from({ length: 10 }, (_, index) =>
        auditRequest({ time: at(`10:${31 + index}:00`), user: other, name: `a-${index}`, sourceIPs: ['203.0.113.6'] }),
      ),
      ...Array.from({ length: 5 }, (_, index) =>
        auditRequest({ time: at(`10:${52 + index}:00`), user: other, name: `b-${index}`, sourceIPs: ['203.0.113.6'] }),
      ),
    ];
    await upload(spread.slice(1, 11));
    await upload([spread[0]!, ...spread.slice(11)]);
    expect(raised(await alertsOf('secret-enumeration-by-user', other))).toHaveLength(0);
  });

  it('R2: a late get before a raised burst joins it; the analyst’s alert is kept and says its window moved', async () => {
    const user = 'mallory@example.com';
    const get = (clock: string, name: string) =>
      auditRequest({ time: at(`12:${clock}`), user, name, sourceIPs: ['203.0.113.9'], userAgent: 'curl/8.5.0' });
    await upload([get('02:00', 'frontend-tls'), get('03:00', 'stripe-api-key'), get('04:00', 'registry-credentials')]);
    const [before] = raised(await alertsOf('rapid-secret-get-multiple-objects', user));
    expect(before).toMatchObject({ event_count: 3 });
    await upload([get('00:00', 'db-password')]);
    const after = raised(await alertsOf('rapid-secret-get-multiple-objects', user));
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({
      id: before!.id,
      event_count: 4,
      details: expect.objectContaining({ distinctSecretCount: 4 }),
    });
    expect(after[0]!.window_start.toISOString()).toBe('2026-11-19T12:00:00.000Z');
    const history = await pool.query(`SELECT kind FROM alert_activity WHERE alert_id = $1 ORDER BY id`, [before!.id]);
    expect(history.rows.map((row) => row.kind)).toEqual(['created', 'window', 'evidence']);
  });

  it('R1: a late event re-anchors the window instead of opening a second one beside it', async () => {
    const user = 'system:serviceaccount:web:frontend';
    const read = (clock: string) =>
      auditRequest({ time: at(clock), user, name: 'frontend-db', sourceIPs: ['10.0.4.2'] });
    await upload([read('14:30:00'), read('15:10:00')]);
    const [first] = raised(await alertsOf('secret-read-by-node-or-pod-sa', user));
    expect(first).toMatchObject({ event_count: 2 });
    await upload([read('14:00:00')]);
    const windows = raised(await alertsOf('secret-read-by-node-or-pod-sa', user));
    expect(windows.map((alert) => [alert.window_start.toISOString(), alert.event_count])).toEqual([
      ['2026-11-19T14:00:00.000Z', 2],
      ['2026-11-19T15:10:00.000Z', 1],
    ]);
    expect(windows[0]!.id).toBe(first!.id);
    for (const [index, alert] of windows.entries()) {
      if (index > 0)
        expect(alert.window_start.getTime()).toBeGreaterThanOrEqual(windows[index - 1]!.window_end.getTime());
    }
  });

  it('clusters: a person is one identity across clusters (R3), a service account is not (R1)', async () => {
    const person = 'eve@example.com';
    const gets = (cluster: string, offset: number) =>
      Array.from({ length: 8 }, (_, index) =>
        auditRequest({
          time: at(`16:${String(offset + index * 2).padStart(2, '0')}:00`),
          user: person,
          name: `${cluster}-${index}`,
          sourceIPs: ['203.0.113.4'],
        }),
      );
    await upload(gets('prod-eu', 0), 'prod-eu');
    await upload(gets('prod-us', 1), 'prod-us');
    const enumeration = raised(await alertsOf('secret-enumeration-by-user', person));
    expect(enumeration).toHaveLength(1);
    expect(enumeration[0]!.details).toMatchObject({ distinctValueCount: 16, clusters: ['prod-eu', 'prod-us'] });

    const account = 'system:serviceaccount:default:default';
    const read = auditRequest({ time: at('17:00:00'), user: account, name: 'token', sourceIPs: ['10.0.9.9'] });
    await upload([read], 'prod-eu');
    await upload([{ ...read, auditID: `${read.auditID}-us` }], 'prod-us');
    const perCluster = await pool.query(
      `SELECT cluster FROM alerts WHERE rule_id = 'secret-read-by-node-or-pod-sa' AND username = $1 ORDER BY cluster`,
      [account],
    );
    expect(perCluster.rows.map((row) => row.cluster)).toEqual(['prod-eu', 'prod-us']);
  });

  it('R4: a file event without host.os.type linux or event.category file starts no sequence', async () => {
    const call = (pod: string, clock: string) =>
      auditRequest({
        time: at(clock),
        user: `system:serviceaccount:ops:${pod}`,
        verb: 'list',
        resource: 'pods',
        name: null,
        podName: pod,
      });
    await upload(
      [
        defendFileEvent({ time: '2026-11-19T18:00:00.000Z', podName: 'strict-a', namespace: 'ops', hostOs: null }),
        defendFileEvent({ time: '2026-11-19T18:00:00.000Z', podName: 'strict-b', namespace: 'ops', categories: null }),
        defendFileEvent({ time: '2026-11-19T18:00:00.000Z', podName: 'linux-c', namespace: 'ops' }),
      ],
      'prod-eu',
      'file-events',
    );
    await upload([call('strict-a', '18:00:10'), call('strict-b', '18:00:10'), call('linux-c', '18:00:10')]);
    const sequences = await pool.query(
      `SELECT pod_name FROM alerts WHERE rule_id = 'sa-token-access-then-api-request' AND withdrawn_at IS NULL`,
    );
    expect(sequences.rows.map((row) => row.pod_name)).toEqual(['linux-c']);
  });

  it('a settings change rebuilds the rule from the stored events: alerts below the new threshold are withdrawn, and come back', async () => {
    const user = 'mallory@example.com';
    const [burst] = raised(await alertsOf('rapid-secret-get-multiple-objects', user));
    expect(burst).toMatchObject({ event_count: 4 });
    const rebuilt = async (parameters: Record<string, number>) => {
      const rule = await updateRuleSettings(
        db,
        'rapid-secret-get-multiple-objects',
        { parameters },
        { id: null, name: 'test' },
      );
      await waitFor('the worker to rebuild the rule', 60_000, async () => {
        const row = await pool.query(
          `SELECT detected_version FROM rules WHERE id = 'rapid-secret-get-multiple-objects'`,
        );
        return row.rows[0]!.detected_version === rule.rule.version ? true : undefined;
      });
    };
    await rebuilt({ minDistinctSecrets: 5 });
    const withdrawn = await alertsOf('rapid-secret-get-multiple-objects', user);
    expect(raised(withdrawn)).toHaveLength(0);
    expect(withdrawn.find((alert) => alert.id === burst!.id)?.withdrawn_at).not.toBeNull();
    await rebuilt({ minDistinctSecrets: 3 });
    expect(raised(await alertsOf('rapid-secret-get-multiple-objects', user)).map((alert) => alert.id)).toEqual([
      burst!.id,
    ]);
  }, 120_000);
});
