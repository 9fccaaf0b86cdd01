// The demo cluster through detection and incident grouping: every live alert lands in exactly one
// incident, every joined member says why, no incident spans two clusters, and re-running changes nothing.
import { afterAll, describe, expect, it } from 'vitest';
import { runDetection } from '../../lib/engine/run-detection';
import { regroupIncidents } from '../../lib/incidents/regroup-incidents';
import { seedDatabase } from '../../lib/seed/seed-database';
import { openTestDatabase } from '../support/test-database';

const database = await openTestDatabase('incidents-demo');
const { pool, db } = database;
afterAll(async () => {
  await database.close();
});

async function detectEverything() {
  const range = await pool.query<{ from: Date; to: Date }>(
    `SELECT min(time) AS from, max(time) AS to FROM audit_events`,
  );
  const { from, to } = range.rows[0]!;
  await runDetection(pool, { from, to: new Date(to.getTime() + 1) });
  return regroupIncidents(pool, { gapHours: 24 });
}

describe('incidents over the demo cluster', () => {
  it('groups every alert once, explains each join, keeps clusters apart, and is stable', async () => {
    await seedDatabase(db, { demo: true, pool, now: new Date(), events: 3000 });
    const first = await detectEverything();
    const alerts = await pool.query<{ id: string; incidents: number }>(
      `SELECT a.id, count(ia.incident_id)::int AS incidents FROM alerts a
         LEFT JOIN incident_alerts ia ON ia.alert_id = a.id AND NOT ia.removed
        WHERE a.withdrawn_at IS NULL GROUP BY a.id`,
    );
    expect(alerts.rows.length).toBeGreaterThan(0);
    expect(alerts.rows.filter((alert) => alert.incidents !== 1)).toEqual([]);
    expect(first.created).toBeGreaterThan(0);
    expect(first.created).toBeLessThanOrEqual(alerts.rows.length);

    const members = await pool.query<{ incident_id: string; reason: string | null; cluster: string | null }>(
      `SELECT ia.incident_id, ia.reason, a.cluster FROM incident_alerts ia JOIN alerts a ON a.id = ia.alert_id
        WHERE NOT ia.removed`,
    );
    const byIncident = new Map<string, { reasons: (string | null)[]; clusters: Set<string | null> }>();
    for (const row of members.rows) {
      const entry = byIncident.get(row.incident_id) ?? { reasons: [], clusters: new Set() };
      entry.reasons.push(row.reason);
      entry.clusters.add(row.cluster);
      byIncident.set(row.incident_id, entry);
    }
    for (const { reasons, clusters } of byIncident.values()) {
      expect(reasons.filter((reason) => reason === null)).toHaveLength(1);
      for (const reason of reasons) if (reason !== null) expect(reason).toMatch(/^joined because /);
      expect(clusters.size).toBe(1);
    }

    const history = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM incident_history`);
    expect(await detectEverything()).toMatchObject({ created: 0, changed: 0, merged: 0 });
    const after = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM incident_history`);
    expect(after.rows[0]!.n).toBe(history.rows[0]!.n);
  });
});
