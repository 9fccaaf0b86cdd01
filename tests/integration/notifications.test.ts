// Notifications end to end against real peers on loopback: alert changes enqueue in their transaction, a
// real worker routes and delivers (signed webhook, Slack- and PagerDuty-shaped mocks, SMTP), retries a 500,
// cuts off a hanging or huge answer, digests, and the REST API with who may use it.
process.env.VIGIL_NOTIFY_RETRY_DELAYS = '0.1,0.1,0.1,0.1';

import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as listDeliveriesRoute } from '../../app/api/v1/notifications/deliveries/route';
import { POST as resendRoute } from '../../app/api/v1/notifications/deliveries/[id]/resend/route';
import {
  GET as listDestinationsRoute,
  POST as createDestinationRoute,
} from '../../app/api/v1/notifications/destinations/route';
import { PATCH as patchDestinationRoute } from '../../app/api/v1/notifications/destinations/[id]/route';
import { POST as testRoute } from '../../app/api/v1/notifications/destinations/[id]/test/route';
import { POST as createRouteRoute } from '../../app/api/v1/notifications/routes/route';
import { PATCH as patchRouteRoute } from '../../app/api/v1/notifications/routes/[id]/route';
import { GET as previewRouteRoute } from '../../app/api/v1/notifications/routes/[id]/preview/route';
import { changeAlert } from '../../lib/alerts/change-alerts';
import { replaceDetectedAlerts, type DetectedAlert } from '../../lib/alerts/replace-detected-alerts';
import { getDb } from '../../lib/db/client';
import { getPool } from '../../lib/db/pool';
import { withTransaction } from '../../lib/db/with-transaction';
import { startWorker, type RunningWorker } from '../../lib/jobs/run-worker';
import { deliverOptionsFromEnv } from '../../lib/notifications/deliver-job';
import { sendDigest } from '../../lib/notifications/digest-job';
import { NOTIFICATION_JOBS } from '../../lib/notifications/notification-jobs';
import { routeAlertEvents } from '../../lib/notifications/route-events-job';
import { sendTestNotification } from '../../lib/notifications/send-test';
import { verifyWebhookSignature } from '../../lib/notifications/sign-webhook';
import { BURST_RULE, jsonRequest, seedRules } from '../support/alert-factory';
import { createTestSession } from '../support/credentials';
import { startHttpReceiver, startSmtpReceiver, type HttpReceiver } from '../support/notification-receivers';
import { waitFor } from '../support/wait-for';

await seedRules();
const pool = getPool();
const admin = await createTestSession('admin');
const analyst = await createTestSession('analyst');
const BASE = 'http://vigil.test/api/v1/notifications';
const SECRET = 'whsec-0123456789abcdef';
let receiver: HttpReceiver;
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
let worker: RunningWorker;

beforeAll(async () => {
  receiver = await startHttpReceiver();
  smtp = await startSmtpReceiver();
  worker = await startWorker({
    db: getDb(),
    databaseUrl: process.env.DATABASE_URL!,
    concurrency: 2,
    jobs: NOTIFICATION_JOBS,
  });
});
afterAll(async () => {
  await withTransaction(pool, (client) =>
    client.query(`DELETE FROM notification_destinations WHERE created_by = $1`, [admin.email]),
  );
  await worker.stop();
  await receiver.close();
  await smtp.close();
  await pool.end();
});

const params = (values: Record<string, string>) => ({ params: Promise.resolve(values) });

async function createDestination(body: Record<string, unknown>): Promise<string> {
  const response = await createDestinationRoute(jsonRequest(`${BASE}/destinations`, 'POST', body, admin.headers));
  expect(response.status, await response.clone().text()).toBe(200);
  return ((await response.json()) as { id: string }).id;
}

async function createRoute(body: Record<string, unknown>): Promise<string> {
  const response = await createRouteRoute(jsonRequest(`${BASE}/routes`, 'POST', body, admin.headers));
  expect(response.status, await response.clone().text()).toBe(200);
  return ((await response.json()) as { id: string }).id;
}

type Delivery = {
  id: string;
  status: string;
  event: string;
  attempts: number;
  alertId: string | null;
  alertIds: string[];
  attemptLog: { attempt: number; statusCode: number | null; error: string | null; latencyMs: number }[];
};

async function deliveries(query: Record<string, string>, headers = admin.headers): Promise<Delivery[]> {
  const response = await listDeliveriesRoute(
    new Request(`${BASE}/deliveries?${new URLSearchParams(query)}`, { headers }),
  );
  expect(response.status).toBe(200);
  return ((await response.json()) as { deliveries: Delivery[] }).deliveries;
}

function waitForDelivery(query: Record<string, string>, status: string) {
  return waitFor(`a ${status} delivery for ${JSON.stringify(query)}`, 20_000, async () => {
    const found = await deliveries(query);
    return found.find((delivery) => delivery.status === status);
  });
}

/** Raises an alert through the detection engine's own verb (so its event is enqueued as in production). */
async function raiseAlert(
  cluster: string,
  severity: DetectedAlert['severity'],
  extra: Partial<DetectedAlert> = {},
): Promise<string> {
  const groupKey = extra.groupKey ?? JSON.stringify({ test: randomUUID() });
  const windowStart = new Date('2032-01-01T10:00:00Z');
  const candidate: DetectedAlert = {
    ruleId: BURST_RULE,
    groupKey,
    windowStart,
    windowEnd: new Date(windowStart.getTime() + 600_000),
    identity: createHash('sha256').update(groupKey).digest('hex'),
    severity,
    riskScore: 70,
    firstEventAt: windowStart,
    lastEventAt: windowStart,
    auditEventIds: [],
    auditEventTimes: [],
    fileEventIds: [],
    fileEventTimes: [],
    username: 'mallory@example.com',
    sourceIp: '198.51.100.7',
    sourceIps: ['198.51.100.7'],
    userAgent: '<https://evil.example|click here> @channel',
    podName: 'api-7f9',
    namespaces: ['prod'],
    secretNames: ['db-password'],
    outcomes: ['allow'],
    responseCodes: [200],
    cluster,
    details: {},
    ...extra,
  };
  const written = await withTransaction(pool, (client) =>
    replaceDetectedAlerts(client, { ruleId: BURST_RULE, groupKey, from: null, until: 'end' }, [candidate]),
  );
  return written.alerts[0]!.id;
}

describe('webhook destinations', () => {
  it('a high alert reaches the receiver once, signed, with the documented body; a medium one does not', async () => {
    const cluster = `c-${randomUUID()}`;
    const destinationId = await createDestination({
      type: 'webhook',
      name: 'SOAR',
      url: `${receiver.url}/hook/${cluster}`,
      secret: SECRET,
      headers: { 'X-Team': 'soc' },
    });
    await createRoute({ destinationId, events: ['alert.created'], minSeverity: 'high', clusters: [cluster] });
    const quiet = await raiseAlert(cluster, 'medium');
    const alertId = await raiseAlert(cluster, 'high');

    const delivery = await waitForDelivery({ alertId }, 'delivered');
    expect(delivery).toMatchObject({ event: 'alert.created', attempts: 1 });
    expect(delivery.attemptLog[0]).toMatchObject({ attempt: 1, statusCode: 200, error: null });
    const received = receiver.requests.filter((request) => request.path === `/hook/${cluster}`);
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request!.headers['idempotency-key']).toBe(delivery.id);
    expect(request!.headers['x-team']).toBe('soc');
    expect(
      verifyWebhookSignature(SECRET, request!.body, String(request!.headers['x-vigil-signature']), Date.now() / 1000),
    ).toBe(true);
    expect(JSON.parse(request!.body)).toMatchObject({
      version: 1,
      type: 'event',
      event: 'alert.created',
      deliveryId: delivery.id,
      alert: {
        id: alertId,
        severity: 'high',
        rule: { id: BURST_RULE },
        cluster,
        entities: { user: 'mallory@example.com', pod: 'api-7f9', secrets: ['db-password'] },
        counts: { events: 0 },
      },
    });
    expect(JSON.parse(request!.body).alert.url).toMatch(new RegExp(`/alerts/${alertId}$`));
    expect(await deliveries({ alertId: quiet })).toEqual([]);

    // Secrets never come back: only their masked form.
    const listed = await listDestinationsRoute(new Request(`${BASE}/destinations`, { headers: admin.headers }));
    const text = await listed.text();
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(`/hook/${cluster}`);
    const stored = await pool.query<{ secrets: string }>(
      `SELECT secrets FROM notification_destinations WHERE id = $1`,
      [destinationId],
    );
    expect(stored.rows[0]!.secrets).not.toContain(SECRET);
  });

  it('a replayed routing job creates no second delivery; a resend is a new delivery with a new key', async () => {
    const cluster = `c-${randomUUID()}`;
    const destinationId = await createDestination({
      type: 'webhook',
      name: 'replay',
      url: `${receiver.url}/replay/${cluster}`,
      secret: SECRET,
    });
    await createRoute({ destinationId, events: ['alert.created'], clusters: [cluster] });
    const alertId = await raiseAlert(cluster, 'low');
    const first = await waitForDelivery({ alertId }, 'delivered');
    const events = [
      { key: randomUUID(), event: 'alert.created' as const, alertId, occurredAt: new Date().toISOString() },
    ];
    expect(await routeAlertEvents(pool, events)).toBe(1);
    expect(await routeAlertEvents(pool, events)).toBe(1);
    const all = await waitFor('two deliveries, both delivered', 20_000, async () => {
      const found = await deliveries({ alertId });
      return found.length === 2 && found.every((delivery) => delivery.status === 'delivered') ? found : undefined;
    });
    expect(new Set(all.map((delivery) => delivery.id)).size).toBe(2);

    const resent = await resendRoute(
      new Request(`${BASE}/deliveries/${first.id}/resend`, { method: 'POST', headers: admin.headers }),
      params({ id: first.id }),
    );
    expect(resent.status).toBe(200);
    const { id: resendId } = (await resent.json()) as { id: string };
    await waitFor('the resend delivered', 20_000, async () =>
      (await deliveries({ alertId })).find((delivery) => delivery.id === resendId && delivery.status === 'delivered'),
    );
    const keys = receiver.requests
      .filter((request) => request.path === `/replay/${cluster}`)
      .map((request) => request.headers['idempotency-key']);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(3);
  });

  it('retries a 500 and is delivered on the second attempt; the log has both', async () => {
    const cluster = `c-${randomUUID()}`;
    const destinationId = await createDestination({
      type: 'webhook',
      name: 'flaky',
      url: `${receiver.url}/flaky/1/${cluster}`,
      secret: SECRET,
    });
    await createRoute({ destinationId, events: ['alert.created'], clusters: [cluster] });
    const alertId = await raiseAlert(cluster, 'critical');
    const delivery = await waitForDelivery({ alertId }, 'delivered');
    expect(delivery.attempts).toBe(2);
    expect(delivery.attemptLog.map((attempt) => attempt.statusCode)).toEqual([500, 200]);
    const keys = receiver.requests
      .filter((request) => request.path.startsWith(`/flaky/1/${cluster}`))
      .map((request) => request.headers['idempotency-key']);
    expect(keys).toEqual([delivery.id, delivery.id]);
  });

  it('a receiver that always fails is marked failed after 5 attempts', async () => {
    const cluster = `c-${randomUUID()}`;
    const destinationId = await createDestination({
      type: 'webhook',
      name: 'down',
      url: `${receiver.url}/flaky/99/${cluster}`,
      secret: SECRET,
    });
    await createRoute({ destinationId, events: ['alert.created'], clusters: [cluster] });
    const alertId = await raiseAlert(cluster, 'high');
    const delivery = await waitForDelivery({ alertId }, 'failed');
    expect(delivery.attempts).toBe(5);
    expect(delivery.attemptLog.every((attempt) => attempt.statusCode === 500)).toBe(true);
  });

  it('a hanging receiver, a 10 MB answer and a redirect loop are cut off and show as failed', async () => {
    const options = { ...deliverOptionsFromEnv(), limits: { timeoutMs: 1000 } };
    for (const [path, error] of [
      ['/hang', /no answer within 1 s/],
      ['/huge', /larger than 65536 bytes/],
      ['/redirect', /redirect .* not followed/],
    ] as const) {
      const destinationId = await createDestination({
        type: 'webhook',
        name: path,
        url: `${receiver.url}${path}/${randomUUID()}`,
        secret: SECRET,
      });
      const started = Date.now();
      const outcome = await sendTestNotification(pool, destinationId, options);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(outcome).toMatchObject({ ok: false, status: 'failed' });
      expect(outcome.error).toMatch(error);
      const [logged] = await deliveries({ destinationId });
      expect(logged).toMatchObject({ event: 'test', status: 'failed', attempts: 1 });
    }
  });

  it('"Send test" answers with the status, body excerpt and time', async () => {
    const destinationId = await createDestination({
      type: 'webhook',
      name: 'test send',
      url: `${receiver.url}/test/${randomUUID()}`,
      secret: SECRET,
    });
    const response = await testRoute(
      new Request(`${BASE}/destinations/${destinationId}/test`, { method: 'POST', headers: admin.headers }),
      params({ id: destinationId }),
    );
    expect(response.status).toBe(200);
    const answer = (await response.json()) as Record<string, unknown>;
    expect(answer).toMatchObject({ ok: true, statusCode: 200, error: null });
    expect(String(answer.bodyExcerpt)).toContain('"ok":true');
    expect(typeof answer.latencyMs).toBe('number');
  });
});

describe('Slack, PagerDuty and email', () => {
  it('Slack gets Block Kit with the log values neutralised and a button to the alert', async () => {
    const cluster = `c-${randomUUID()}`;
    const destinationId = await createDestination({
      type: 'slack',
      name: 'slack',
      url: `${receiver.url}/slack/${cluster}`,
    });
    await createRoute({ destinationId, events: ['alert.created'], clusters: [cluster] });
    const alertId = await raiseAlert(cluster, 'high');
    await waitForDelivery({ alertId }, 'delivered');
    const request = receiver.requests.find((candidate) => candidate.path === `/slack/${cluster}`)!;
    const message = JSON.parse(request.body) as {
      text: string;
      blocks: { type: string; text?: { type: string; text: string }; elements?: { type: string; url: string }[] }[];
    };
    expect(typeof message.text).toBe('string');
    expect(message.blocks.map((block) => block.type)).toEqual(['section', 'actions']);
    expect(message.blocks[0]!.text!.type).toBe('mrkdwn');
    expect(message.blocks[1]!.elements![0]!.url).toMatch(new RegExp(`/alerts/${alertId}$`));
    expect(request.body).not.toContain('<https://evil');
    expect(request.body).not.toContain('@channel');
  });

  it('PagerDuty: trigger on created, resolve on closed, both with dedup_key = alert id', async () => {
    const cluster = `c-${randomUUID()}`;
    const destinationId = await createDestination({
      type: 'pagerduty',
      name: 'pd',
      routingKey: 'R0UTINGKEY',
      url: `${receiver.url}/pd/${cluster}`,
    });
    await createRoute({ destinationId, events: ['alert.created', 'alert.closed'], clusters: [cluster] });
    const alertId = await raiseAlert(cluster, 'critical');
    await waitForDelivery({ alertId }, 'delivered');
    await changeAlert(pool, alertId, { closeReason: 'true_positive' }, { id: admin.userId, name: admin.email });
    const bodies = await waitFor('trigger and resolve', 20_000, async () => {
      const found = receiver.requests.filter((request) => request.path === `/pd/${cluster}`);
      return found.length === 2
        ? found.map((request) => JSON.parse(request.body) as Record<string, unknown>)
        : undefined;
    });
    expect(bodies[0]).toMatchObject({
      routing_key: 'R0UTINGKEY',
      event_action: 'trigger',
      dedup_key: alertId,
      payload: { severity: 'critical', source: cluster },
    });
    expect(String((bodies[0]!.payload as { summary: string }).summary).length).toBeGreaterThan(0);
    expect(bodies[1]).toEqual({ routing_key: 'R0UTINGKEY', event_action: 'resolve', dedup_key: alertId });
  });

  it('an assignment mails the assignee over real SMTP, HTML escaped', async () => {
    const cluster = `c-${randomUUID()}`;
    const destinationId = await createDestination({
      type: 'email',
      name: 'mail',
      host: '127.0.0.1',
      port: smtp.port,
      tls: 'none',
      from: 'vigil@example.test',
      to: ['soc@example.test'],
    });
    await createRoute({ destinationId, events: ['alert.assigned'], clusters: [cluster] });
    const alertId = await raiseAlert(cluster, 'high', { userAgent: '<script>alert(1)</script>' });
    await changeAlert(pool, alertId, { assigneeId: analyst.userId }, { id: admin.userId, name: admin.email });
    const delivery = await waitForDelivery({ alertId }, 'delivered');
    expect(delivery.event).toBe('alert.assigned');
    const mail = await waitFor('the mail', 10_000, async () =>
      smtp.mails.find((candidate) => candidate.raw.includes(alertId)),
    );
    expect(mail.to).toEqual([analyst.email]);
    expect(mail.raw).toContain('Idempotency-Key: ' + delivery.id);
    const html = mail.raw.slice(mail.raw.indexOf('Content-Type: text/html'));
    expect(html.length).toBeLessThan(mail.raw.length);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
  });
});

describe('Teams and severity changes', () => {
  it('Teams gets an Adaptive Card; a raised severity is its own event, a lowered one none', async () => {
    const cluster = `c-${randomUUID()}`;
    const destinationId = await createDestination({
      type: 'teams',
      name: 'teams',
      url: `${receiver.url}/teams/${cluster}`,
    });
    await createRoute({ destinationId, events: ['alert.severity_raised'], clusters: [cluster] });
    const groupKey = JSON.stringify({ test: randomUUID() });
    const alertId = await raiseAlert(cluster, 'medium', { groupKey });
    expect(await raiseAlert(cluster, 'critical', { groupKey })).toBe(alertId);
    expect(await raiseAlert(cluster, 'low', { groupKey })).toBe(alertId);
    const delivery = await waitForDelivery({ alertId }, 'delivered');
    expect(delivery.event).toBe('alert.severity_raised');
    const sent = receiver.requests.filter((request) => request.path === `/teams/${cluster}`);
    expect(sent).toHaveLength(1);
    const card = JSON.parse(sent[0]!.body) as {
      type: string;
      attachments: { contentType: string; content: { type: string; body: unknown[]; actions: { url: string }[] } }[];
    };
    expect(card.type).toBe('message');
    expect(card.attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.attachments[0]!.content.type).toBe('AdaptiveCard');
    expect(card.attachments[0]!.content.actions[0]!.url).toMatch(new RegExp(`/alerts/${alertId}$`));
    expect(sent[0]!.body).not.toContain('[click here]');
    expect(await deliveries({ alertId })).toHaveLength(1);
  });
});

describe('reopening', () => {
  it('an alert closed and opened again sends alert.reopened, and only that when only that is routed', async () => {
    const cluster = `c-${randomUUID()}`;
    const destinationId = await createDestination({
      type: 'webhook',
      name: 'reopen',
      url: `${receiver.url}/reopen/${cluster}`,
      secret: SECRET,
    });
    await createRoute({ destinationId, events: ['alert.reopened'], clusters: [cluster] });
    const alertId = await raiseAlert(cluster, 'high');
    const actor = { id: admin.userId, name: admin.email };
    await changeAlert(pool, alertId, { closeReason: 'false_positive' }, actor);
    await changeAlert(pool, alertId, { status: 'open' }, actor);
    const delivery = await waitForDelivery({ alertId }, 'delivered');
    expect(delivery.event).toBe('alert.reopened');
    expect(await deliveries({ alertId })).toHaveLength(1);
    const body = JSON.parse(receiver.requests.find((request) => request.path === `/reopen/${cluster}`)!.body);
    expect(body).toMatchObject({ event: 'alert.reopened', alert: { id: alertId, status: 'open' } });
  });
});

describe('digests and routing rules', () => {
  it('a digest route gathers events into one message, and sends nothing when nothing happened', async () => {
    const cluster = `c-${randomUUID()}`;
    const destinationId = await createDestination({
      type: 'webhook',
      name: 'digest',
      url: `${receiver.url}/digest/${cluster}`,
      secret: SECRET,
    });
    const routeId = await createRoute({
      destinationId,
      events: ['alert.created'],
      clusters: [cluster],
      mode: 'digest',
      digestMinutes: 60,
    });
    const first = await raiseAlert(cluster, 'high');
    const second = await raiseAlert(cluster, 'low');
    await waitFor('both events waiting for the digest', 20_000, async () => {
      const waiting = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM notification_digest_items WHERE route_id = $1 AND delivery_id IS NULL`,
        [routeId],
      );
      return waiting.rows[0]!.n === 2 ? true : undefined;
    });
    const queued = await pool.query(`SELECT run_at FROM graphile_worker.jobs WHERE key = $1`, [
      `notify-digest-${routeId}`,
    ]);
    expect(queued.rows).toHaveLength(1);
    // The hour is up: the worker's digest job gathers both into one message.
    await pool.query(`UPDATE graphile_worker._private_jobs SET run_at = now() WHERE key = $1`, [
      `notify-digest-${routeId}`,
    ]);
    const delivered = await waitForDelivery({ destinationId }, 'delivered');
    expect(await sendDigest(pool, routeId)).toBeNull();
    expect(delivered.event).toBe('digest');
    expect(new Set(delivered.alertIds)).toEqual(new Set([first, second]));
    const body = JSON.parse(receiver.requests.find((request) => request.path === `/digest/${cluster}`)!.body);
    expect(body).toMatchObject({ type: 'digest', items: [{ alert: { id: first } }, { alert: { id: second } }] });
    expect((await deliveries({ alertId: second })).map((delivery) => delivery.id)).toEqual([delivered.id]);
  });

  it('a disabled route sends nothing; the preview lists the last 7 days’ alerts it would have sent', async () => {
    const cluster = `c-${randomUUID()}`;
    const destinationId = await createDestination({
      type: 'webhook',
      name: 'disabled',
      url: `${receiver.url}/disabled/${cluster}`,
      secret: SECRET,
    });
    const routeId = await createRoute({
      destinationId,
      events: ['alert.created'],
      minSeverity: 'high',
      clusters: [cluster],
    });
    const patched = await patchRouteRoute(
      jsonRequest(`${BASE}/routes/${routeId}`, 'PATCH', { enabled: false }, admin.headers),
      params({ id: routeId }),
    );
    expect(patched.status).toBe(200);
    const high = await raiseAlert(cluster, 'high');
    await raiseAlert(cluster, 'low');
    const events = [
      { key: randomUUID(), event: 'alert.created' as const, alertId: high, occurredAt: new Date().toISOString() },
    ];
    expect(await routeAlertEvents(pool, events)).toBe(0);
    expect(await deliveries({ alertId: high })).toEqual([]);
    const preview = await previewRouteRoute(
      new Request(`${BASE}/routes/${routeId}/preview`, { headers: admin.headers }),
      params({ id: routeId }),
    );
    expect(preview.status).toBe(200);
    const result = (await preview.json()) as { matched: number; alerts: { id: string }[] };
    expect(result.alerts.map((alert) => alert.id)).toEqual([high]);
  });
});

describe('bad input and who may do what', () => {
  it('refuses non-http URLs and metadata addresses, and bad input', async () => {
    for (const url of ['ftp://example.com/x', 'http://169.254.169.254/latest/meta-data', 'http://[fd00:ec2::254]/']) {
      const response = await createDestinationRoute(
        jsonRequest(`${BASE}/destinations`, 'POST', { type: 'slack', name: 'x', url }, admin.headers),
      );
      expect(response.status, url).toBe(400);
    }
    const weak = await createDestinationRoute(
      jsonRequest(
        `${BASE}/destinations`,
        'POST',
        { type: 'webhook', name: 'x', url: receiver.url, secret: 'short' },
        admin.headers,
      ),
    );
    expect(weak.status).toBe(400);
    const badRoute = await createRouteRoute(
      jsonRequest(`${BASE}/routes`, 'POST', { destinationId: randomUUID(), events: ['alert.exploded'] }, admin.headers),
    );
    expect(badRoute.status).toBe(400);
    const pagerDuty = await createDestination({
      type: 'pagerduty',
      name: 'pd digest',
      routingKey: 'RK',
      url: receiver.url,
    });
    const digestToPagerDuty = await createRouteRoute(
      jsonRequest(
        `${BASE}/routes`,
        'POST',
        { destinationId: pagerDuty, events: ['alert.created'], mode: 'digest', digestMinutes: 5 },
        admin.headers,
      ),
    );
    expect(digestToPagerDuty.status).toBe(400);
  });

  it('a change keeps secrets left out and re-checks the URL', async () => {
    const destinationId = await createDestination({
      type: 'webhook',
      name: 'keep',
      url: `${receiver.url}/keep`,
      secret: SECRET,
    });
    const renamed = await patchDestinationRoute(
      jsonRequest(`${BASE}/destinations/${destinationId}`, 'PATCH', { name: 'kept' }, admin.headers),
      params({ id: destinationId }),
    );
    expect(renamed.status).toBe(200);
    expect(await renamed.text()).not.toContain(SECRET);
    const outcome = await sendTestNotification(pool, destinationId, deliverOptionsFromEnv());
    expect(outcome.ok).toBe(true);
    const refused = await patchDestinationRoute(
      jsonRequest(`${BASE}/destinations/${destinationId}`, 'PATCH', { url: 'http://169.254.169.254/' }, admin.headers),
      params({ id: destinationId }),
    );
    expect(refused.status).toBe(400);
  });

  it('analysts read the delivery log but cannot configure destinations; nobody unsigned reads anything', async () => {
    expect((await listDeliveriesRoute(new Request(`${BASE}/deliveries`, { headers: analyst.headers }))).status).toBe(
      200,
    );
    const create = await createDestinationRoute(
      jsonRequest(`${BASE}/destinations`, 'POST', { type: 'slack', name: 'x', url: receiver.url }, analyst.headers),
    );
    expect(create.status).toBe(403);
    expect(
      (await listDestinationsRoute(new Request(`${BASE}/destinations`, { headers: analyst.headers }))).status,
    ).toBe(403);
    expect((await listDeliveriesRoute(new Request(`${BASE}/deliveries`))).status).toBe(401);
  });
});
