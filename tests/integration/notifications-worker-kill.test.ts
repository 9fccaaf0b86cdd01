// A worker process killed with SIGKILL while a destination is answering: the live worker that takes the
// released job sends the same delivery again with the same idempotency key, so the receiver acts on it exactly
// once, and the log shows it delivered. Jobs and heartbeats are global state: a database of its own.
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replaceDetectedAlerts, type DetectedAlert } from '../../lib/alerts/replace-detected-alerts';
import { withTransaction } from '../../lib/db/with-transaction';
import { createDestination } from '../../lib/notifications/destinations';
import { notificationSecretKey } from '../../lib/notifications/notify-settings';
import { createRoute } from '../../lib/notifications/routes';
import { seedDatabase } from '../../lib/seed/seed-database';
import { startVigilWorker } from '../../lib/worker/vigil-worker';
import { BURST_RULE } from '../support/alert-factory';
import { startHttpReceiver, type HttpReceiver } from '../support/notification-receivers';
import { VIGIL_BIN } from '../support/run-cli';
import { waitFor } from '../support/wait-for';
import { openTestDatabase } from '../support/test-database';

const database = await openTestDatabase('notifykill');
const { pool, db } = database;
let receiver: HttpReceiver;

beforeAll(async () => {
  await seedDatabase(db, { demo: false });
  receiver = await startHttpReceiver();
});
afterAll(async () => {
  await receiver.close();
  await database.close();
});

function candidate(): DetectedAlert {
  const groupKey = JSON.stringify({ kill: randomUUID() });
  const at = new Date('2032-02-01T10:00:00Z');
  return {
    ruleId: BURST_RULE,
    groupKey,
    windowStart: at,
    windowEnd: new Date(at.getTime() + 600_000),
    identity: createHash('sha256').update(groupKey).digest('hex'),
    severity: 'critical',
    riskScore: 90,
    firstEventAt: at,
    lastEventAt: at,
    auditEventIds: [],
    auditEventTimes: [],
    fileEventIds: [],
    fileEventTimes: [],
    username: 'trudy@example.com',
    sourceIp: '198.51.100.66',
    sourceIps: ['198.51.100.66'],
    userAgent: 'curl/8',
    podName: null,
    namespaces: ['prod'],
    secretNames: ['k1'],
    outcomes: ['allow'],
    responseCodes: [200],
    cluster: 'kill',
    details: {},
  };
}

describe('a worker killed mid-delivery', () => {
  it('is delivered exactly once after restart (the receiver dedupes on the key), and the log says so', async () => {
    const path = `/hang-once/${randomUUID()}`;
    await withTransaction(pool, async (client) => {
      const { id } = await createDestination(
        client,
        { type: 'webhook', name: 'kill', url: `${receiver.url}${path}`, secret: 'kill-test-secret-0123', headers: {} },
        { key: notificationSecretKey(), allowPrivate: false, actorName: 'test' },
      );
      await createRoute(client, {
        destinationId: id,
        events: ['alert.created'],
        minSeverity: 'low',
        ruleIds: [],
        clusters: [],
        namespaces: [],
        mode: 'immediate',
        enabled: true,
      });
    });
    const child = spawn(process.execPath, [VIGIL_BIN, 'worker'], {
      env: { ...process.env, DATABASE_URL: database.url, WORKER_CONCURRENCY: '1' },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const detected = candidate();
    const written = await withTransaction(pool, (client) =>
      replaceDetectedAlerts(client, { ruleId: BURST_RULE, groupKey: detected.groupKey, from: null, until: 'end' }, [
        detected,
      ]),
    );
    const alertId = written.alerts[0]!.id;
    try {
      await waitFor('the child worker to start sending', 60_000, async () =>
        receiver.requests.some((request) => request.path === path) ? true : undefined,
      );
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    const before = await pool.query<{ status: string; attempts: number }>(
      `SELECT status, attempts FROM notification_deliveries WHERE alert_id = $1`,
      [alertId],
    );
    expect(before.rows).toEqual([{ status: 'pending', attempts: 0 }]);

    const log: string[] = [];
    const worker = await startVigilWorker({
      db,
      databaseUrl: database.url,
      concurrency: 1,
      log: (line) => log.push(line),
    });
    try {
      const delivered = await waitFor('the live worker to deliver it', 120_000, async () => {
        const row = (
          await pool.query<{ id: string; status: string; attempts: number }>(
            `SELECT id, status, attempts FROM notification_deliveries WHERE alert_id = $1`,
            [alertId],
          )
        ).rows[0];
        return row?.status === 'delivered' ? row : undefined;
      });
      const sent = receiver.requests.filter((request) => request.path === path);
      expect(sent).toHaveLength(2);
      expect(sent.map((request) => request.headers['idempotency-key'])).toEqual([delivered.id, delivered.id]);
      expect(sent[1]!.body).toBe(sent[0]!.body);
      expect([...receiver.accepted.keys()].filter((key) => key === delivered.id)).toHaveLength(1);
      const attempts = await pool.query(
        `SELECT attempt, status_code FROM notification_attempts WHERE delivery_id = $1`,
        [delivered.id],
      );
      expect(attempts.rows).toEqual([{ attempt: 1, status_code: 200 }]);
      expect(log.join('\n')).toMatch(/stopped beating: released the 1 job\(s\) they held/);
    } finally {
      await worker.stop();
    }
  }, 240_000);
});
