// "Send test": a sample alert sent to a destination now, the answer shown as it came (status, body excerpt,
// time) and logged as a delivery of event "test" without retries.
import type pg from 'pg';
import { randomUUID } from 'node:crypto';
import { AppError } from '../app-error';
import { withTransaction } from '../db/with-transaction';
import { insertDelivery, recordAttempt, type DeliverOptions, type DeliveryOutcome } from './deliver-job';
import { readDestinationForSending } from './destinations';
import type { DeliveryPayload } from './schemas';
import { sendMessage } from './send-message';

export function sampleTestPayload(now: Date): DeliveryPayload {
  const at = now.toISOString();
  return {
    kind: 'event',
    event: 'alert.created',
    occurredAt: at,
    test: true,
    alert: {
      id: '00000000-0000-4000-8000-000000000000',
      ruleId: 'test',
      ruleName: 'Test notification from Vigil',
      severity: 'high',
      riskScore: 50,
      status: 'open',
      closeReason: null,
      assignee: null,
      cluster: 'test',
      username: 'system:serviceaccount:default:test',
      sourceIp: '192.0.2.10',
      sourceIps: ['192.0.2.10'],
      userAgent: 'vigil-test',
      podName: 'test-pod',
      namespaces: ['default'],
      secretNames: ['example-secret'],
      eventCount: 1,
      firstEventAt: at,
      lastEventAt: at,
      createdAt: at,
    },
  };
}

export async function sendTestNotification(
  pool: pg.Pool,
  destinationId: string,
  options: DeliverOptions,
): Promise<DeliveryOutcome & { deliveryId: string }> {
  const payload = sampleTestPayload(new Date());
  const prepared = await withTransaction(pool, async (client) => {
    const destination = await readDestinationForSending(client, destinationId, options.key);
    if (!destination) throw new AppError('not-found', 'no such destination');
    const deliveryId = await insertDelivery(
      client,
      {
        destinationId,
        routeId: null,
        alertId: null,
        alertIds: [],
        event: 'test',
        eventKey: `test:${randomUUID()}`,
        payload,
      },
      { enqueue: false },
    );
    return { destination, deliveryId: deliveryId! };
  });
  const result = await sendMessage(prepared.destination.input, payload, prepared.deliveryId, options);
  const outcome = await withTransaction(pool, (client) => recordAttempt(client, prepared.deliveryId, result, null));
  return { ...outcome, deliveryId: prepared.deliveryId };
}
