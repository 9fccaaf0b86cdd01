// 1,000 alerts written in one detection transaction (the engine's replaceDetectedAlerts), with and without a
// listening route, then every notification delivered to a loopback receiver by a real worker: each exactly
// once. It prints the times it saw (the figures in the README); being a test on a shared machine, it asserts
// what was delivered, not how fast. A database of its own, so the job queue is this file's.
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replaceDetectedAlerts, type DetectedAlert } from '../../lib/alerts/replace-detected-alerts';
import { withTransaction } from '../../lib/db/with-transaction';
import { startWorker } from '../../lib/jobs/run-worker';
import { alertEventsFrom } from '../../lib/notifications/alert-events';
import { createDestination } from '../../lib/notifications/destinations';
import { NOTIFICATION_JOBS } from '../../lib/notifications/notification-jobs';
import { notificationSecretKey } from '../../lib/notifications/notify-settings';
import { enqueueAlertEvents } from '../../lib/notifications/route-events-job';
import { createRoute } from '../../lib/notifications/routes';
import { seedDatabase } from '../../lib/seed/seed-database';
import { BURST_RULE } from '../support/alert-factory';
import { startHttpReceiver, type HttpReceiver } from '../support/notification-receivers';
import { waitFor } from '../support/wait-for';
import { openTestDatabase } from '../support/test-database';

const ALERTS = 1000;
const database = await openTestDatabase('notifybench');
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

let run = 0;

/** One detection transaction raising ALERTS new alerts in a span of its own; its duration in ms. */
async function raiseMany(): Promise<number> {
  const from = new Date(Date.UTC(2033, 0, 1 + run++));
  const candidates: DetectedAlert[] = Array.from({ length: ALERTS }, (_, index) => {
    const groupKey = JSON.stringify({ bench: randomUUID() });
    const windowStart = new Date(from.getTime() + index * 1000);
    return {
      ruleId: BURST_RULE,
      groupKey,
      windowStart,
      windowEnd: new Date(windowStart.getTime() + 600_000),
      identity: createHash('sha256').update(groupKey).digest('hex'),
      severity: 'high',
      riskScore: 70,
      firstEventAt: windowStart,
      lastEventAt: windowStart,
      auditEventIds: [],
      auditEventTimes: [],
      fileEventIds: [],
      fileEventTimes: [],
      username: `user-${index}@example.test`,
      sourceIp: '198.51.100.1',
      sourceIps: ['198.51.100.1'],
      userAgent: 'kubectl',
      podName: null,
      namespaces: ['prod'],
      secretNames: ['s'],
      outcomes: ['allow'],
      responseCodes: [200],
      cluster: 'bench',
      details: {},
    };
  });
  const started = performance.now();
  await withTransaction(pool, (client) =>
    replaceDetectedAlerts(
      client,
      { ruleId: BURST_RULE, groupKey: null, from, until: new Date(from.getTime() + 86_400_000) },
      candidates,
    ),
  );
  return performance.now() - started;
}

describe('1,000 alerts in one detection run', () => {
  it('delivers every notification of three 1,000-alert runs exactly once, and prints what routing cost', async () => {
    const routeId = await withTransaction(pool, async (client) => {
      const { id } = await createDestination(
        client,
        { type: 'webhook', name: 'bench', url: `${receiver.url}/bench`, secret: 'bench-secret-0123456', headers: {} },
        { key: notificationSecretKey(), allowPrivate: false, actorName: 'bench' },
      );
      const route = await createRoute(client, {
        destinationId: id,
        events: ['alert.created'],
        minSeverity: 'low',
        ruleIds: [],
        clusters: ['bench'],
        namespaces: [],
        mode: 'immediate',
        enabled: false,
      });
      return route.id;
    });
    const setRoute = (enabled: boolean) =>
      pool.query(`UPDATE notification_routes SET enabled = $2 WHERE id = $1`, [routeId, enabled]);
    await raiseMany(); // warm-up, not counted
    // Interleaved, so warm caches and a growing table favour neither side.
    const plain: number[] = [];
    const routed: number[] = [];
    for (let index = 0; index < 3; index++) {
      await setRoute(false);
      plain.push(await raiseMany());
      await setRoute(true);
      routed.push(await raiseMany());
    }
    const without = Math.min(...plain);
    const withRouting = Math.min(...routed);
    const overhead = withRouting / without - 1;
    // The part routing adds, timed alone (the whole-run difference above is at the mercy of a shared machine).
    const alertIds = (await pool.query<{ id: string }>(`SELECT id FROM alerts LIMIT ${ALERTS}`)).rows.map(
      (row) => row.id,
    );
    const events = alertEventsFrom(
      alertIds.map((alertId) => ({ alertId, kind: 'created', from: null, to: 'open' })),
      [],
      new Date(),
    );
    const outboxStarted = performance.now();
    await withTransaction(pool, async (client) => {
      await enqueueAlertEvents(client, events);
      await client.query('ROLLBACK');
      await client.query('BEGIN');
    });
    const outbox = performance.now() - outboxStarted;

    const started = performance.now();
    const worker = await startWorker({ db, databaseUrl: database.url, concurrency: 4, jobs: NOTIFICATION_JOBS });
    try {
      await waitFor(`${3 * ALERTS} deliveries at the receiver`, 300_000, async () =>
        receiver.accepted.size >= 3 * ALERTS ? true : undefined,
      );
    } finally {
      await worker.stop();
    }
    const delivered = performance.now() - started;
    console.log(
      `[bench] ${ALERTS} alerts in one transaction: ${without.toFixed(0)} ms without routing, ${withRouting.toFixed(0)} ms with (${(overhead * 100).toFixed(1)} %); the outbox alone ${outbox.toFixed(0)} ms (${((outbox / without) * 100).toFixed(1)} %); ${3 * ALERTS} notifications delivered in ${(delivered / 1000).toFixed(1)} s (${((3 * ALERTS) / (delivered / 1000)).toFixed(0)}/s)`,
    );
    const counts = await pool.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM notification_deliveries GROUP BY status`,
    );
    expect(counts.rows).toEqual([{ status: 'delivered', n: 3 * ALERTS }]);
    expect(receiver.accepted.size).toBe(3 * ALERTS);
    // Nothing sent twice: a worker that is not killed needs no resend.
    expect(receiver.requests.filter((request) => request.path === '/bench')).toHaveLength(3 * ALERTS);
  }, 600_000);
});
