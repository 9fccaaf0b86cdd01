// The outbox: alert changes hand their events over inside their own transaction (one job, only when an
// enabled route listens for them); this job matches them against the routes and creates the deliveries or
// digest items, idempotently (a replayed job finds its deliveries already there).
import type pg from 'pg';
import { z } from 'zod';
import { withTransaction } from '../db/with-transaction';
import { defineJob, enqueueJob } from '../jobs/define-job';
import type { Severity } from '../vocabulary/severity';
import { readAlertSnapshots } from './alert-snapshot';
import { insertDelivery } from './deliver-job';
import { scheduleDigest } from './digest-job';
import { routeMatches } from './match-route';
import { alertEventSchema, type AlertEvent, type DeliveryPayload } from './schemas';

export const routeEventsJob = defineJob({
  name: 'notify-route',
  payload: z.object({ events: z.array(alertEventSchema).min(1) }),
  maxAttempts: 10,
  async run({ events }, { pool }) {
    await routeAlertEvents(pool, events);
  },
});

const EVENTS_PER_JOB = 1000;

/** Inside the alert change's transaction: its events, queued for routing (nothing when no route listens). */
export async function enqueueAlertEvents(client: pg.ClientBase, events: readonly AlertEvent[]) {
  if (events.length === 0) return;
  const kinds = [...new Set(events.map((event) => event.event))];
  const listening = await client.query<{ any: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM notification_routes WHERE enabled AND events && $1::text[]) AS any`,
    [kinds],
  );
  if (!listening.rows[0]!.any) return;
  // A bulk triage change can touch 50,000 alerts: keep each job's payload small.
  for (let start = 0; start < events.length; start += EVENTS_PER_JOB)
    await enqueueJob(client, routeEventsJob, { events: events.slice(start, start + EVENTS_PER_JOB) });
}

type RouteRow = {
  id: string;
  destination_id: string;
  events: string[];
  min_severity: Severity;
  rule_ids: string[];
  clusters: string[];
  namespaces: string[];
  mode: 'immediate' | 'digest';
  digest_minutes: number | null;
};

export async function routeAlertEvents(pool: pg.Pool, events: readonly AlertEvent[]) {
  return withTransaction(pool, async (client) => {
    const routes = (
      await client.query<RouteRow>(
        `SELECT r.id, r.destination_id, r.events, r.min_severity::text AS min_severity, r.rule_ids, r.clusters, r.namespaces,
                r.mode, r.digest_minutes
           FROM notification_routes r JOIN notification_destinations d ON d.id = r.destination_id
          WHERE r.enabled AND d.enabled ORDER BY r.created_at, r.id`,
      )
    ).rows;
    let routed = 0;
    if (routes.length === 0) return routed;
    const alerts = await readAlertSnapshots(client, [...new Set(events.map((event) => event.alertId))]);
    for (const event of events) {
      const alert = alerts.get(event.alertId);
      if (!alert) continue;
      const payload: DeliveryPayload = {
        kind: 'event',
        event: event.event,
        occurredAt: event.occurredAt,
        alert,
        ...(event.assigneeEmail ? { assigneeEmail: event.assigneeEmail } : {}),
        ...(event.previousSeverity ? { previousSeverity: event.previousSeverity } : {}),
      };
      for (const route of routes) {
        const filter = {
          enabled: true,
          events: route.events,
          minSeverity: route.min_severity,
          ruleIds: route.rule_ids,
          clusters: route.clusters,
          namespaces: route.namespaces,
        };
        if (!routeMatches(filter, event.event, alert)) continue;
        routed++;
        if (route.mode === 'immediate') {
          await insertDelivery(client, {
            destinationId: route.destination_id,
            routeId: route.id,
            alertId: alert.id,
            alertIds: [alert.id],
            event: event.event,
            eventKey: event.key,
            payload,
          });
          continue;
        }
        const item = await client.query(
          `INSERT INTO notification_digest_items (route_id, alert_id, event, event_key, payload, occurred_at)
           VALUES ($1, $2, $3, $4, $5::jsonb, $6) ON CONFLICT (route_id, event_key) DO NOTHING`,
          [route.id, alert.id, event.event, event.key, JSON.stringify(payload), event.occurredAt],
        );
        if (item.rowCount) await scheduleDigest(client, { id: route.id, digestMinutes: route.digest_minutes ?? 60 });
      }
    }
    return routed;
  });
}
