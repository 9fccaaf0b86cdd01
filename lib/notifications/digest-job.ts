// Digest routes: routed events wait as digest items; the route's one queued digest job (its run time kept
// while more arrive) turns them into one delivery every N minutes. No items, no job, no message.
import type pg from 'pg';
import { z } from 'zod';
import { withTransaction } from '../db/with-transaction';
import { defineJob, enqueueJob } from '../jobs/define-job';
import { insertDelivery } from './deliver-job';
import type { DeliveryPayload } from './schemas';

export const digestJob = defineJob({
  name: 'notify-digest',
  payload: z.object({ routeId: z.uuid() }),
  maxAttempts: 10,
  async run({ routeId }, { pool }) {
    await sendDigest(pool, routeId);
  },
});

export async function scheduleDigest(client: pg.ClientBase, route: { id: string; digestMinutes: number }) {
  await enqueueJob(
    client,
    digestJob,
    { routeId: route.id },
    { jobKey: `notify-digest-${route.id}`, jobKeyMode: 'preserve_run_at', delayMs: route.digestMinutes * 60_000 },
  );
}

type ItemRow = {
  id: string;
  alert_id: string;
  payload: Extract<DeliveryPayload, { kind: 'event' }>;
  occurred_at: Date;
};

/** Gathers the route's waiting items into one delivery; its id, or null when nothing waited. */
export async function sendDigest(pool: pg.Pool, routeId: string): Promise<string | null> {
  return withTransaction(pool, async (client) => {
    const route = (
      await client.query<{ name: string; destination_id: string }>(
        `SELECT name, destination_id FROM notification_routes WHERE id = $1 FOR UPDATE`,
        [routeId],
      )
    ).rows[0];
    if (!route) return null;
    const items = (
      await client.query<ItemRow>(
        `SELECT id::text, alert_id, payload, occurred_at FROM notification_digest_items
          WHERE route_id = $1 AND delivery_id IS NULL ORDER BY occurred_at, id FOR UPDATE`,
        [routeId],
      )
    ).rows;
    if (items.length === 0) return null;
    const payload: DeliveryPayload = {
      kind: 'digest',
      routeName: route.name,
      from: items[0]!.occurred_at.toISOString(),
      to: items.at(-1)!.occurred_at.toISOString(),
      items: items.map((item) => ({
        event: item.payload.event,
        occurredAt: item.payload.occurredAt,
        alert: item.payload.alert,
      })),
    };
    const deliveryId = await insertDelivery(client, {
      destinationId: route.destination_id,
      routeId,
      alertId: null,
      alertIds: [...new Set(items.map((item) => item.alert_id))],
      event: 'digest',
      eventKey: `digest:${routeId}:${items[0]!.id}`,
      payload,
    });
    await client.query(`UPDATE notification_digest_items SET delivery_id = $2 WHERE id = ANY($1::bigint[])`, [
      items.map((item) => item.id),
      deliveryId,
    ]);
    return deliveryId;
  });
}
