// The incident page's read of a big incident: 200 member alerts and 2,000 evidence requests, all of
// them, in order (its speed is measured by npm run bench -- incidents, which stores the same incident).
import { afterAll, describe, expect, it } from 'vitest';
import { readIncident } from '../../lib/incidents/read-incident';
import { regroupIncidents } from '../../lib/incidents/regroup-incidents';
import { seedDatabase } from '../../lib/seed/seed-database';
import { storeBigIncident } from '../../scripts/commands/bench-incidents';
import { openTestDatabase } from '../support/test-database';

const database = await openTestDatabase('incidents-large');
const { pool, db } = database;
afterAll(async () => {
  await database.close();
});

describe('the incident page read', () => {
  it('reads every member and every evidence request of an incident with 200 alerts', async () => {
    await seedDatabase(db, { demo: false });
    const ids = await storeBigIncident(pool);
    await regroupIncidents(pool, { gapHours: 24 });
    const incident = await pool.query<{ incident_id: string }>(
      `SELECT DISTINCT incident_id FROM incident_alerts WHERE alert_id = ANY($1::uuid[])`,
      [ids],
    );
    expect(incident.rows).toHaveLength(1);
    const read = await readIncident(pool, incident.rows[0]!.incident_id);
    expect(read!.members.map((member) => member.alertId).sort()).toEqual([...ids].sort());
    expect(read!.timeline).toHaveLength(2000);
    const times = read!.timeline.map((event) => Date.parse(event.time));
    expect(times).toEqual([...times].sort((left, right) => left - right));
  });
});
