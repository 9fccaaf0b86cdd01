// Routing rules: which events of which alerts reach a destination, immediately or as a digest. Admins
// create, change, disable and remove them, and preview what one would have sent over the last 7 days.
import type pg from 'pg';
import { AppError } from '../app-error';
import type { Severity } from '../vocabulary/severity';
import { readRecentAlertSnapshots } from './alert-snapshot';
import { routeMatches } from './match-route';
import type { NotificationEvent, RouteChange, RouteInput } from './schemas';

export type RouteView = {
  id: string;
  destinationId: string;
  destinationName: string;
  name: string;
  events: NotificationEvent[];
  minSeverity: Severity;
  ruleIds: string[];
  clusters: string[];
  namespaces: string[];
  mode: 'immediate' | 'digest';
  digestMinutes: number | null;
  enabled: boolean;
  createdAt: string;
};

type RouteRow = {
  id: string;
  destination_id: string;
  destination_name: string;
  name: string;
  events: NotificationEvent[];
  min_severity: Severity;
  rule_ids: string[];
  clusters: string[];
  namespaces: string[];
  mode: 'immediate' | 'digest';
  digest_minutes: number | null;
  enabled: boolean;
  created_at: Date;
};

const ROUTE_COLUMNS = `r.id, r.destination_id, d.name AS destination_name, r.name, r.events, r.min_severity::text AS min_severity,
  r.rule_ids, r.clusters, r.namespaces, r.mode, r.digest_minutes, r.enabled, r.created_at`;

function toView(row: RouteRow): RouteView {
  return {
    id: row.id,
    destinationId: row.destination_id,
    destinationName: row.destination_name,
    name: row.name,
    events: row.events,
    minSeverity: row.min_severity,
    ruleIds: row.rule_ids,
    clusters: row.clusters,
    namespaces: row.namespaces,
    mode: row.mode,
    digestMinutes: row.digest_minutes,
    enabled: row.enabled,
    createdAt: row.created_at.toISOString(),
  };
}

/** A PagerDuty incident is one alert (its dedup key): a digest has no place there. */
function refusePagerDutyDigest(type: string, mode: string) {
  if (type === 'pagerduty' && mode === 'digest')
    throw new AppError('invalid', 'mode: PagerDuty takes each alert on its own; use immediate');
}

export async function createRoute(client: pg.ClientBase, input: RouteInput): Promise<{ id: string }> {
  const destination = await client.query<{ name: string; type: string }>(
    `SELECT name, type FROM notification_destinations WHERE id = $1`,
    [input.destinationId],
  );
  if (!destination.rows[0]) throw new AppError('invalid', 'destinationId: no such destination');
  refusePagerDutyDigest(destination.rows[0].type, input.mode);
  const result = await client.query<{ id: string }>(
    `INSERT INTO notification_routes (id, destination_id, name, events, min_severity, rule_ids, clusters, namespaces, mode, digest_minutes, enabled)
     VALUES (gen_random_uuid(), $1, $2, $3, $4::"Severity", $5, $6, $7, $8, $9, $10) RETURNING id`,
    [
      input.destinationId,
      input.name ?? `${input.minSeverity}+ to ${destination.rows[0].name}`,
      input.events,
      input.minSeverity,
      input.ruleIds,
      input.clusters,
      input.namespaces,
      input.mode,
      input.mode === 'digest' ? input.digestMinutes : null,
      input.enabled,
    ],
  );
  return { id: result.rows[0]!.id };
}

export async function readRoute(client: pg.ClientBase, id: string): Promise<RouteView | null> {
  const result = await client.query<RouteRow>(
    `SELECT ${ROUTE_COLUMNS} FROM notification_routes r JOIN notification_destinations d ON d.id = r.destination_id WHERE r.id = $1`,
    [id],
  );
  return result.rows[0] ? toView(result.rows[0]) : null;
}

export async function changeRoute(client: pg.ClientBase, id: string, change: RouteChange): Promise<RouteView> {
  const current = await readRoute(client, id);
  if (!current) throw new AppError('not-found', 'no such route');
  const next = { ...current, ...change };
  if (next.mode === 'digest' && !next.digestMinutes)
    throw new AppError('invalid', 'digestMinutes: required for a digest route');
  const type = await client.query<{ type: string }>(`SELECT type FROM notification_destinations WHERE id = $1`, [
    current.destinationId,
  ]);
  refusePagerDutyDigest(type.rows[0]!.type, next.mode);
  await client.query(
    `UPDATE notification_routes SET name = $2, events = $3, min_severity = $4::"Severity", rule_ids = $5, clusters = $6,
        namespaces = $7, mode = $8, digest_minutes = $9, enabled = $10, updated_at = now() WHERE id = $1`,
    [
      id,
      next.name,
      next.events,
      next.minSeverity,
      next.ruleIds,
      next.clusters,
      next.namespaces,
      next.mode,
      next.mode === 'digest' ? next.digestMinutes : null,
      next.enabled,
    ],
  );
  return (await readRoute(client, id))!;
}

export async function deleteRoute(client: pg.ClientBase, id: string) {
  const result = await client.query(`DELETE FROM notification_routes WHERE id = $1`, [id]);
  if (result.rowCount === 0) throw new AppError('not-found', 'no such route');
}

export async function listRoutes(client: pg.ClientBase): Promise<RouteView[]> {
  const result = await client.query<RouteRow>(
    `SELECT ${ROUTE_COLUMNS} FROM notification_routes r JOIN notification_destinations d ON d.id = r.destination_id
      ORDER BY r.created_at, r.id`,
  );
  return result.rows.map(toView);
}

const PREVIEW_DAYS = 7;
const PREVIEW_SCAN = 5000;

/** The last 7 days' alerts the route would have sent when they were raised (enabled or not). */
export async function previewRoute(client: pg.ClientBase, id: string, now = new Date()) {
  const route = await readRoute(client, id);
  if (!route) throw new AppError('not-found', 'no such route');
  const since = new Date(now.getTime() - PREVIEW_DAYS * 86_400_000);
  const alerts = await readRecentAlertSnapshots(client, since, PREVIEW_SCAN);
  const matched = alerts.filter((alert) =>
    routeMatches({ ...route, enabled: true, events: ['alert.created'] }, 'alert.created', alert),
  );
  return {
    since: since.toISOString(),
    scanned: alerts.length,
    listensToCreated: route.events.includes('alert.created'),
    matched: matched.length,
    alerts: matched.slice(0, 100).map((alert) => ({
      id: alert.id,
      ruleName: alert.ruleName,
      severity: alert.severity,
      cluster: alert.cluster,
      createdAt: alert.createdAt,
    })),
  };
}
