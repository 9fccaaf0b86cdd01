// Deliveries: created (with their job, in the caller's transaction), sent by the worker, every attempt logged.
// A failed attempt schedules the next one by the retry schedule (5 attempts over ~30 minutes by default),
// then the delivery is failed. The delivery id is the idempotency key of every attempt.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { z } from 'zod';
import { withTransaction } from '../db/with-transaction';
import { defineJob, enqueueJob } from '../jobs/define-job';
import { readDestinationForSending } from './destinations';
import {
  allowPrivateDestinations,
  notificationPublicUrl,
  notificationSecretKey,
  retryDelaysSeconds,
} from './notify-settings';
import type { PostLimits, SendResult } from './post-json';
import type { DeliveryPayload, DeliveryStatus } from './schemas';
import { sendMessage } from './send-message';

export type DeliverOptions = {
  key: Buffer;
  publicUrl: string;
  allowPrivate: boolean;
  retryDelaysSeconds: number[];
  limits?: Partial<Omit<PostLimits, 'allowPrivate'>>;
};

export function deliverOptionsFromEnv(): DeliverOptions {
  return {
    key: notificationSecretKey(),
    publicUrl: notificationPublicUrl(),
    allowPrivate: allowPrivateDestinations(),
    retryDelaysSeconds: retryDelaysSeconds(),
  };
}

export const deliverJob = defineJob({
  name: 'notify-deliver',
  payload: z.object({ deliveryId: z.uuid() }),
  // Failed sends are retried by the delivery's own schedule; these attempts are for the database going away.
  maxAttempts: 5,
  async run({ deliveryId }, { pool, log }) {
    const outcome = await deliverNotification(pool, deliveryId, deliverOptionsFromEnv());
    if (outcome && outcome.status === 'failed') log(`notification ${deliveryId} failed: ${outcome.error}`);
  },
});

export type NewDelivery = {
  destinationId: string;
  routeId: string | null;
  alertId: string | null;
  alertIds: string[];
  event: string;
  eventKey: string;
  payload: DeliveryPayload;
};

/** Adds the delivery and its job; null when this event already has one for the destination. */
export async function insertDelivery(
  client: pg.ClientBase,
  delivery: NewDelivery,
  options: { enqueue: boolean } = { enqueue: true },
): Promise<string | null> {
  const result = await client.query<{ id: string }>(
    `INSERT INTO notification_deliveries (id, destination_id, route_id, alert_id, alert_ids, event, event_key, status, payload)
     VALUES ($1, $2, $3, $4, $5::uuid[], $6, $7, 'pending', $8::jsonb)
     ON CONFLICT (event_key, destination_id) DO NOTHING RETURNING id`,
    [
      randomUUID(),
      delivery.destinationId,
      delivery.routeId,
      delivery.alertId,
      delivery.alertIds,
      delivery.event,
      delivery.eventKey,
      JSON.stringify(delivery.payload),
    ],
  );
  const id = result.rows[0]?.id ?? null;
  if (id && options.enqueue)
    await enqueueJob(client, deliverJob, { deliveryId: id }, { jobKey: `notify-deliver-${id}` });
  return id;
}

type DeliveryRow = {
  id: string;
  destination_id: string;
  status: DeliveryStatus;
  attempts: number;
  payload: DeliveryPayload;
};

export type DeliveryOutcome = SendResult & { status: DeliveryStatus; attempt: number };

/** Writes one attempt and what it makes of the delivery; `retryDelays` null: no retries (a test send). */
export async function recordAttempt(
  client: pg.ClientBase,
  deliveryId: string,
  result: SendResult,
  retryDelays: number[] | null,
): Promise<DeliveryOutcome> {
  const updated = await client.query<{ attempts: number }>(
    `UPDATE notification_deliveries SET attempts = attempts + 1, updated_at = now() WHERE id = $1 RETURNING attempts`,
    [deliveryId],
  );
  const attempt = updated.rows[0]!.attempts;
  await client.query(
    `INSERT INTO notification_attempts (delivery_id, attempt, status_code, error, latency_ms, response_excerpt)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [deliveryId, attempt, result.statusCode, result.error, result.latencyMs, result.excerpt],
  );
  const delay = retryDelays?.[attempt - 1];
  const status: DeliveryStatus = result.ok ? 'delivered' : delay === undefined ? 'failed' : 'retrying';
  await client.query(
    `UPDATE notification_deliveries
        SET status = $2, last_status_code = $3, last_error = $4, delivered_at = CASE WHEN $2 = 'delivered' THEN now() END
      WHERE id = $1`,
    [deliveryId, status, result.statusCode, result.error],
  );
  if (status === 'retrying')
    await enqueueJob(
      client,
      deliverJob,
      { deliveryId },
      { jobKey: `notify-deliver-${deliveryId}`, delayMs: delay! * 1000 },
    );
  return { ...result, status, attempt };
}

/** One attempt at a delivery; null when there is nothing (left) to send. */
export async function deliverNotification(
  pool: pg.Pool,
  deliveryId: string,
  options: DeliverOptions,
): Promise<DeliveryOutcome | null> {
  const client = await pool.connect();
  let row: DeliveryRow | undefined;
  let destination: Awaited<ReturnType<typeof readDestinationForSending>> = null;
  try {
    row = (
      await client.query<DeliveryRow>(
        `SELECT id, destination_id, status, attempts, payload FROM notification_deliveries WHERE id = $1`,
        [deliveryId],
      )
    ).rows[0];
    if (!row || row.status === 'delivered' || row.status === 'failed') return null;
    destination = await readDestinationForSending(client, row.destination_id, options.key);
  } finally {
    client.release();
  }
  const result: SendResult =
    destination && destination.enabled
      ? await sendMessage(destination.input, row.payload, deliveryId, options)
      : { ok: false, statusCode: null, excerpt: null, error: 'the destination is disabled', latencyMs: 0 };
  return withTransaction(pool, (tx) =>
    recordAttempt(tx, deliveryId, result, destination?.enabled ? options.retryDelaysSeconds : null),
  );
}
