// The delivery log: every delivery with its latest answer and its attempts, filtered by alert, destination
// and status; a resend by hand is a new delivery of the same payload (a new idempotency key).
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { AppError } from '../app-error';
import { enqueueJob } from '../jobs/define-job';
import { deliverJob } from './deliver-job';
import type { DeliveryFilter, DeliveryStatus } from './schemas';

export type DeliveryAttemptView = {
  attempt: number;
  startedAt: string;
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
  responseExcerpt: string | null;
};

export type DeliveryView = {
  id: string;
  destinationId: string;
  destinationName: string;
  destinationType: string;
  routeId: string | null;
  alertId: string | null;
  alertIds: string[];
  event: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  lastLatencyMs: number | null;
  createdAt: string;
  deliveredAt: string | null;
  attemptLog: DeliveryAttemptView[];
};

type DeliveryRow = {
  id: string;
  destination_id: string;
  destination_name: string;
  destination_type: string;
  route_id: string | null;
  alert_id: string | null;
  alert_ids: string[];
  event: string;
  status: DeliveryStatus;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
  attempt_log: (Omit<DeliveryAttemptView, 'startedAt'> & { startedAt: string })[];
};

export async function listDeliveries(client: pg.ClientBase, filter: DeliveryFilter): Promise<DeliveryView[]> {
  const result = await client.query<DeliveryRow>(
    `SELECT n.id, n.destination_id, d.name AS destination_name, d.type AS destination_type, n.route_id, n.alert_id,
            n.alert_ids, n.event, n.status, n.attempts, n.last_status_code, n.last_error, n.created_at, n.delivered_at,
            coalesce((SELECT json_agg(json_build_object('attempt', t.attempt, 'startedAt', t.started_at,
                        'statusCode', t.status_code, 'error', t.error, 'latencyMs', t.latency_ms,
                        'responseExcerpt', t.response_excerpt) ORDER BY t.attempt)
                        FROM notification_attempts t WHERE t.delivery_id = n.id), '[]') AS attempt_log
       FROM notification_deliveries n JOIN notification_destinations d ON d.id = n.destination_id
      WHERE ($1::uuid IS NULL OR n.alert_id = $1 OR $1 = ANY(n.alert_ids))
        AND ($2::uuid IS NULL OR n.destination_id = $2)
        AND ($3::text IS NULL OR n.status = $3)
      ORDER BY n.created_at DESC, n.id LIMIT $4`,
    [filter.alertId ?? null, filter.destinationId ?? null, filter.status ?? null, filter.limit],
  );
  return result.rows.map((row) => ({
    id: row.id,
    destinationId: row.destination_id,
    destinationName: row.destination_name,
    destinationType: row.destination_type,
    routeId: row.route_id,
    alertId: row.alert_id,
    alertIds: row.alert_ids,
    event: row.event,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    lastLatencyMs: row.attempt_log.at(-1)?.latencyMs ?? null,
    createdAt: row.created_at.toISOString(),
    deliveredAt: row.delivered_at?.toISOString() ?? null,
    attemptLog: row.attempt_log.map((attempt) => ({
      ...attempt,
      startedAt: new Date(attempt.startedAt).toISOString(),
    })),
  }));
}

/** Sends a delivery's payload again, as a new delivery; its id. */
export async function resendDelivery(client: pg.ClientBase, id: string): Promise<{ id: string }> {
  const newId = randomUUID();
  const result = await client.query<{ id: string }>(
    `INSERT INTO notification_deliveries (id, destination_id, route_id, alert_id, alert_ids, event, event_key, status, payload)
     SELECT $2::uuid, destination_id, route_id, alert_id, alert_ids, event, 'resend:' || $2::text, 'pending', payload
       FROM notification_deliveries WHERE id = $1 RETURNING id`,
    [id, newId],
  );
  if (!result.rows[0]) throw new AppError('not-found', 'no such delivery');
  await enqueueJob(client, deliverJob, { deliveryId: newId }, { jobKey: `notify-deliver-${newId}` });
  return { id: newId };
}
