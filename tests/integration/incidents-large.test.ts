// The incident page's read of a big incident: 200 member alerts and 2,000 evidence requests, all of
// them, in order (its speed is measured by npm run bench -- incidents).
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDb } from '../../lib/db/client';
import { readIncident } from '../../lib/incidents/read-incident';
import { regroupIncidents } from '../../lib/incidents/regroup-incidents';
import { seedDatabase } from '../../lib/seed/seed-database';
import { applyAllMigrations } from '../../scripts/commands/migrate';
import { insertAlert } from '../support/alert-factory';
import { createScratchDatabase } from '../support/database';

const database = await createScratchDatabase(inject('serverUrl'), 'incidents-speed');
await applyAllMigrations(database.url);
const db = createDb(database.url, 2);
const pool = new pg.Pool({ connectionString: database.url, max: 4 });
afterAll(async () => {
  await db.$disconnect();
  await pool.end();
  await database.drop();
});

describe('the incident page read', () => {
  it('reads every member and every evidence request of an incident with 200 alerts', async () => {
    await seedDatabase(db, { demo: false });
    const user = `speed-${randomUUID()}@example.test`;
    const start = Date.parse('2033-05-01T00:00:00Z');
    const ids: string[] = [];
    for (let index = 0; index < 200; index++)
      ids.push(
        await insertAlert(pool, {
          username: user,
          sourceIp: '203.0.113.200',
          firstEventAt: new Date(start + index * 60_000),
          cluster: 'speed',
        }),
      );
    // Ten evidence requests per alert, as the engine copies them.
    await pool.query(
      `INSERT INTO evidence_audit_events (id, cluster, audit_id, time, verb, username, groups, source_ips, source_ip,
          resource, namespace, name, response_code, decision, reason, reason_parsed, rbac_binding_kind,
          rbac_binding_name, rbac_role_kind, rbac_role_name, source_format)
       SELECT 900000000 + n, 'speed', 'speed-' || n, $2::timestamptz + n * interval '6 seconds', 'get', $1,
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
    await regroupIncidents(pool, { gapHours: 24 });
    const incident = await pool.query<{ incident_id: string }>(
      `SELECT DISTINCT incident_id FROM incident_alerts WHERE alert_id = ANY($1::uuid[])`,
      [ids],
    );
    expect(incident.rows).toHaveLength(1);
    const id = incident.rows[0]!.incident_id;

    const read = await readIncident(pool, id);
    expect(read!.members.map((member) => member.alertId).sort()).toEqual([...ids].sort());
    expect(read!.timeline).toHaveLength(2000);
    const times = read!.timeline.map((event) => Date.parse(event.time));
    expect(times).toEqual([...times].sort((left, right) => left - right));
  });
});
