// The pages and API routes the UI benchmark requests, with real values from the loaded data.
import type pg from 'pg';
import { ipHref, podHref, userHref } from '../../lib/entities/entity-links';

export type RouteKind = 'page' | 'api' | 'export';
export type BenchRoute = { name: string; path: string; kind: RouteKind };

export type RouteValues = {
  /** The user with the most audit events (the events explorer's worst case). */
  busiestUser: string;
  /** The user with the most alerts. */
  alertUser: string;
  /** The source IP of that pod's alerts. */
  ip: string;
  /** The pod with the most alerts, and its namespace (the service account's). */
  pod: { namespace: string; name: string };
  /** The alert with the most evidence. */
  alertId: string;
  /** An audit event that alert links. */
  auditEventId: string;
  /** The alert user's latest request and the span of its biggest alert: its entity page over a week, and as pivoted to. */
  alertUserLatest: Date;
  /** The median user with alerts, by requests: what most entity pages hold. */
  typicalUser: string;
  /** Stored requests of the alert user and of the typical one. */
  requests: { alertUser: number; typicalUser: number };
  alertSpan: { first: Date; last: Date };
};

export async function pickRouteValues(pool: pg.Pool): Promise<RouteValues> {
  const one = async <T>(sql: string, what: string, params: unknown[] = []): Promise<T> => {
    const row = (await pool.query(sql, params)).rows[0] as T | undefined;
    if (!row) throw new Error(`the loaded data has no ${what}`);
    return row;
  };
  const busiest = await one<{ username: string }>(
    `SELECT username FROM audit_events WHERE username IS NOT NULL GROUP BY username ORDER BY count(*) DESC, username LIMIT 1`,
    'audit event with a user',
  );
  const alertUser = await one<{ username: string }>(
    `SELECT username FROM alerts WHERE username IS NOT NULL GROUP BY username ORDER BY count(*) DESC, username LIMIT 1`,
    'alert with a user',
  );
  // A pod with alerts (its namespace is its service account's) and the source IP those alerts came from.
  const pod = await one<{ namespace: string; name: string; source_ip: string }>(
    `SELECT split_part(username, ':', 3) AS namespace, pod_name AS name, mode() WITHIN GROUP (ORDER BY source_ip) AS source_ip
       FROM alerts WHERE pod_name IS NOT NULL AND source_ip IS NOT NULL AND username LIKE 'system:serviceaccount:%:%'
      GROUP BY 1, 2 ORDER BY count(*) DESC, 2, 1 LIMIT 1`,
    'alert on a pod with a service account',
  );
  const typical = await one<{ username: string; requests: string }>(
    `WITH users AS (SELECT e.username, count(*) AS requests FROM audit_events e
                     WHERE e.username IN (SELECT username FROM alerts WHERE username IS NOT NULL) GROUP BY 1)
     SELECT username, requests FROM users ORDER BY requests, username OFFSET (SELECT count(*) / 2 FROM users) LIMIT 1`,
    'user with alerts',
  );
  const alert = await one<{ id: string }>(`SELECT id FROM alerts ORDER BY event_count DESC, id LIMIT 1`, 'alert');
  const userAlert = await one<{ first_event_at: Date; last_event_at: Date }>(
    `SELECT first_event_at, last_event_at FROM alerts WHERE username = $1 ORDER BY event_count DESC, id LIMIT 1`,
    'alert of that user',
    [alertUser.username],
  );
  const latest = await one<{ time: Date; requests: string }>(
    `SELECT max(time) AS time, count(*) AS requests FROM audit_events WHERE username = $1`,
    'request',
    [alertUser.username],
  );
  const event = await one<{ event_id: string }>(
    `SELECT event_id::text FROM alert_events WHERE alert_id = $1 ORDER BY event_id LIMIT 1`,
    'alert with evidence',
    [alert.id],
  );
  return {
    busiestUser: busiest.username,
    alertUser: alertUser.username,
    ip: pod.source_ip,
    pod: { namespace: pod.namespace, name: pod.name },
    alertId: alert.id,
    auditEventId: event.event_id,
    alertUserLatest: latest.time,
    typicalUser: typical.username,
    requests: { alertUser: Number(latest.requests), typicalUser: Number(typical.requests) },
    alertSpan: { first: userAlert.first_event_at, last: userAlert.last_event_at },
  };
}

/** Every route the issue lists, in the order printed. */
export function listBenchRoutes(values: RouteValues): BenchRoute[] {
  const q = (params: Record<string, string>) => new URLSearchParams(params).toString();
  const { busiestUser, alertUser, ip, pod, alertId, auditEventId, alertUserLatest, alertSpan, typicalUser } = values;
  const DAY = 86_400_000;
  // The alert page's pivot: a day either side of the alert. And a whole week of the busiest identity.
  const pivot = {
    from: new Date(alertSpan.first.getTime() - DAY).toISOString(),
    to: new Date(alertSpan.last.getTime() + DAY).toISOString(),
  };
  const week = {
    from: new Date(alertUserLatest.getTime() + 60_000 - 7 * DAY).toISOString(),
    to: new Date(alertUserLatest.getTime() + 60_000).toISOString(),
  };
  const api = (path: string) => `/api/v1${path}`;
  const page = (name: string, path: string): BenchRoute => ({ name, path, kind: 'page' });
  const json = (name: string, path: string): BenchRoute => ({ name, path: api(path), kind: 'api' });
  return [
    page('/ (overview)', '/'),
    page('/alerts', '/alerts'),
    page('/alerts?status=all&user=U', `/alerts?${q({ status: 'all', user: alertUser })}`),
    page('/alerts/ID', `/alerts/${alertId}`),
    page('/events', '/events'),
    page('/events?user=U', `/events?${q({ user: busiestUser })}`),
    page('/events?event=ID', `/events?${q({ event: auditEventId })}`),
    page('/events?kind=file', '/events?kind=file'),
    page('/entities/users/U', userHref(alertUser)),
    page('/entities/users/U (alert pivot, ±1 d)', userHref(alertUser, pivot)),
    page('/entities/users/U (7 d)', userHref(alertUser, week)),
    page('/entities/users/T (a typical user)', userHref(typicalUser)),
    page('/entities/ips/IP', ipHref(ip)),
    page('/entities/pods/NS/POD', podHref(pod.namespace, pod.name)),
    json('/api/v1/overview', '/overview'),
    json('/api/v1/alerts', '/alerts'),
    json('/api/v1/alerts/ID', `/alerts/${alertId}`),
    json('/api/v1/events', '/events'),
    json('/api/v1/events?user=U&verb=get', `/events?${q({ user: busiestUser, verb: 'get' })}`),
    json('/api/v1/events/ID?kind=audit', `/events/${auditEventId}?kind=audit`),
    json('/api/v1/entities/users/U', `/entities/users/${encodeURIComponent(alertUser)}`),
    json('/api/v1/entities/ips/IP', `/entities/ips/${encodeURIComponent(ip)}`),
    json(
      '/api/v1/entities/pods/NS/POD',
      `/entities/pods/${encodeURIComponent(pod.namespace)}/${encodeURIComponent(pod.name)}`,
    ),
    {
      name: 'alerts export (csv, all)',
      path: api(`/alerts/export?${q({ format: 'csv', status: 'all' })}`),
      kind: 'export',
    },
    {
      name: 'events export (ndjson, user=U)',
      path: api(`/events/export?${q({ format: 'ndjson', user: alertUser })}`),
      kind: 'export',
    },
  ];
}
