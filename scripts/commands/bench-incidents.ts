// npm run bench -- incidents [--alerts N]: incident grouping and the incident page's read.
// 1. groupAlerts over N alerts (default 10,000) of mixed identities, against sorting the same alerts by
//    time (the least any grouping must do) in the same run.
// 2. regroupIncidents over those N alerts stored, against a hand-written `SELECT` of the columns it reads.
// 3. readIncident of an incident with 200 member alerts and 2,000 evidence requests, p50/p95 over 30
//    reads, against `SELECT 1` round trips on the same pool.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createDb } from '../../lib/db/client';
import { groupAlerts, type GroupableAlert } from '../../lib/incidents/group-alerts';
import { readIncident } from '../../lib/incidents/read-incident';
import { regroupIncidents } from '../../lib/incidents/regroup-incidents';
import { seedDatabase } from '../../lib/seed/seed-database';
import { percentile } from '../bench/ui-measure';
import type { CommandResult } from '../cli-output';
import { applyAllMigrations } from './migrate';

const HOUR = 3_600_000;
const GAP = 24 * HOUR;
const RULE = 'rapid-secret-get-multiple-objects';

/** N alerts over N/100 hours: a third service accounts with pods, the rest users, a few IPs each. */
function mixedAlerts(count: number, start: number): GroupableAlert[] {
  return Array.from({ length: count }, (_, index) => {
    const serviceAccount = index % 3 === 0;
    return {
      id: randomUUID(),
      ruleId: RULE,
      severity: index % 5 === 0 ? 'critical' : 'high',
      cluster: `bench-${index % 4}`,
      firstEventAt: new Date(start + (index / 100) * HOUR),
      lastEventAt: new Date(start + (index / 100) * HOUR + 60_000),
      username: serviceAccount ? `system:serviceaccount:ns${index % 50}:sa` : `user${index % 400}@example.test`,
      podName: serviceAccount ? `pod-${index % 200}` : null,
      podNamespace: serviceAccount ? `ns${index % 50}` : null,
      sourceIps: [`10.0.${index % 7}.${index % 250}`],
    };
  });
}

async function timed<T>(work: () => Promise<T> | T): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
}

async function storeAlerts(pool: pg.Pool, alerts: readonly GroupableAlert[]) {
  for (let offset = 0; offset < alerts.length; offset += 1000) {
    const chunk = alerts.slice(offset, offset + 1000);
    await pool.query(
      `INSERT INTO alerts (id, rule_id, identity, group_key, window_start, window_end, severity, risk_score, status,
          first_event_at, last_event_at, event_count, cluster, username, source_ip, source_ips, pod_name, namespaces,
          secret_names, outcomes, response_codes, details, updated_at)
       SELECT id, $1, id::text, id::text, first_at, last_at, severity::"Severity", 70, 'open', first_at, last_at, 3,
              cluster, username, source_ip, ARRAY[source_ip], pod_name, ARRAY[coalesce(namespace, 'default')],
              '{db-password}', '{allow}', '{200}',
              CASE WHEN namespace IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('podNamespace', namespace) END, now()
         FROM unnest($2::uuid[], $3::timestamptz[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::text[],
                     $9::text[], $10::text[])
              AS t(id, first_at, last_at, severity, cluster, username, source_ip, pod_name, namespace)`,
      [
        RULE,
        chunk.map((alert) => alert.id),
        chunk.map((alert) => alert.firstEventAt),
        chunk.map((alert) => alert.lastEventAt),
        chunk.map((alert) => alert.severity),
        chunk.map((alert) => alert.cluster),
        chunk.map((alert) => alert.username),
        chunk.map((alert) => alert.sourceIps[0]),
        chunk.map((alert) => alert.podName),
        chunk.map((alert) => alert.podNamespace),
      ],
    );
  }
}

/** 200 alerts of one user and IP a minute apart, ten evidence requests each, as the engine copies them. */
export async function storeBigIncident(pool: pg.Pool): Promise<string[]> {
  const user = `bench-incident-${randomUUID()}@example.test`;
  const start = Date.parse('2034-05-01T00:00:00Z');
  const alerts = Array.from({ length: 200 }, (_, index) => ({
    ...mixedAlerts(1, start + index * 60_000)[0]!,
    cluster: 'bench-big',
    username: user,
    podName: null,
    podNamespace: null,
    sourceIps: ['203.0.113.200'],
  }));
  await storeAlerts(pool, alerts);
  const ids = alerts.map((alert) => alert.id);
  await pool.query(
    `INSERT INTO evidence_audit_events (id, cluster, audit_id, time, verb, username, groups, source_ips, source_ip,
        resource, namespace, name, response_code, decision, reason, reason_parsed, rbac_binding_kind,
        rbac_binding_name, rbac_role_kind, rbac_role_name, source_format)
     SELECT 900000000 + n, 'bench-big', 'bench-' || n, $2::timestamptz + n * interval '6 seconds', 'get', $1,
            '{system:authenticated}', '{203.0.113.200}', '203.0.113.200', 'secrets', 'vault', 'secret-' || (n % 50),
            200, 'allow', 'RBAC: allowed by ClusterRoleBinding "b" of ClusterRole "r" to User "u"', true,
            'ClusterRoleBinding', 'b', 'ClusterRole', 'r', 'k8s-audit'
       FROM generate_series(0, 1999) AS n`,
    [user, new Date(start)],
  );
  await pool.query(
    `INSERT INTO alert_events (alert_id, event_id)
     SELECT ($1::uuid[])[n / 10 + 1], 900000000 + n FROM generate_series(0, 1999) AS n`,
    [ids],
  );
  return ids;
}

export async function benchIncidents(
  url: string,
  options: { alerts: number },
  log: (message: string) => void,
): Promise<CommandResult> {
  await applyAllMigrations(url);
  const db = createDb(url, 1);
  await seedDatabase(db, { demo: false });
  await db.$disconnect();
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  try {
    const alerts = mixedAlerts(options.alerts, Date.parse('2033-01-01T00:00:00Z'));
    log(`grouping ${options.alerts.toLocaleString('en-US')} alerts in memory…`);
    const sortBaseline = await timed(() =>
      [...alerts].sort((left, right) => left.firstEventAt.getTime() - right.firstEventAt.getTime()),
    );
    const grouping = await timed(() => groupAlerts(alerts, GAP));

    log('storing them, then regrouping from the database…');
    await storeAlerts(pool, alerts);
    await pool.query('VACUUM ANALYZE alerts');
    const selectBaseline = await timed(() =>
      pool.query(
        `SELECT id, rule_id, severity, cluster, first_event_at, last_event_at, username, pod_name,
                details->>'podNamespace' AS pod_namespace, source_ips
           FROM alerts WHERE withdrawn_at IS NULL`,
      ),
    );
    const regroup = await timed(() => regroupIncidents(pool, { gapHours: GAP / HOUR }));
    const again = await timed(() => regroupIncidents(pool, { gapHours: GAP / HOUR }));

    log('reading an incident of 200 alerts and 2,000 evidence requests…');
    const ids = await storeBigIncident(pool);
    await regroupIncidents(pool, { gapHours: GAP / HOUR });
    const incident = await pool.query<{ incident_id: string }>(
      `SELECT DISTINCT incident_id FROM incident_alerts WHERE alert_id = ANY($1::uuid[])`,
      [ids],
    );
    if (incident.rows.length !== 1) throw new Error(`the 200 alerts formed ${incident.rows.length} incidents, not 1`);
    const reads: number[] = [];
    const pings: number[] = [];
    for (let run = 0; run < 33; run++) {
      const read = await timed(() => readIncident(pool, incident.rows[0]!.incident_id));
      const ping = await timed(() => pool.query('SELECT 1'));
      if (read.result?.members.length !== 200) throw new Error('the incident read lost members');
      if (run < 3) continue; // warm-up
      reads.push(read.ms);
      pings.push(ping.ms);
    }
    const round = (value: number) => Math.round(value * 10) / 10;
    const report = {
      alerts: options.alerts,
      groupingMs: round(grouping.ms),
      incidents: grouping.result.length,
      sortBaselineMs: round(sortBaseline.ms),
      regroupMs: round(regroup.ms),
      regroupAgainMs: round(again.ms),
      regroupWrites: again.result,
      selectBaselineMs: round(selectBaseline.ms),
      incidentReadMs: { p50: round(percentile(reads, 0.5)), p95: round(percentile(reads, 0.95)) },
      selectOneMs: { p50: round(percentile(pings, 0.5)), p95: round(percentile(pings, 0.95)) },
    };
    const ratio = (value: number, baseline: number) => (baseline > 0 ? (value / baseline).toFixed(1) : '∞');
    const lines = [
      `Incidents over ${options.alerts.toLocaleString('en-US')} alerts (${report.incidents.toLocaleString('en-US')} incidents):`,
      `  groupAlerts in memory: ${report.groupingMs} ms (sorting them by time: ${report.sortBaselineMs} ms, ×${ratio(grouping.ms, sortBaseline.ms)})`,
      `  regroupIncidents from the database: ${report.regroupMs} ms the first time, ${report.regroupAgainMs} ms again with nothing to change (the SELECT of its columns: ${report.selectBaselineMs} ms, ×${ratio(regroup.ms, selectBaseline.ms)})`,
      `  incident page read, 200 alerts and 2,000 evidence requests: p50 ${report.incidentReadMs.p50} ms, p95 ${report.incidentReadMs.p95} ms (SELECT 1 p95 ${report.selectOneMs.p95} ms)`,
    ];
    return {
      ok: grouping.ms < 2000 && report.incidentReadMs.p95 < 300,
      text: lines.join('\n'),
      json: report,
    };
  } finally {
    await pool.end();
  }
}
