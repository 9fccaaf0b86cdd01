// The incidents REST API against a real database: the queue, the detail with its story, triage changes
// (each with history; closing closes the open members with the same reason), taking an alert out and a
// manual merge (both kept by later regroupings), the Markdown and NDJSON report, and who may do what.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { GET as getIncident, PATCH as patchIncident } from '../../app/api/v1/incidents/[id]/route';
import { GET as getReport } from '../../app/api/v1/incidents/[id]/report/route';
import { GET as listIncidents, PATCH as patchIncidents } from '../../app/api/v1/incidents/route';
import { getPool } from '../../lib/db/pool';
import { regroupIncidents } from '../../lib/incidents/regroup-incidents';
import { historyOf, insertAlert, jsonRequest, raiseBurstAlert, seedRules, timeSlots } from '../support/alert-factory';
import { createTestSession } from '../support/credentials';

await seedRules();
const pool = getPool();
afterAll(async () => {
  await pool.end();
});

const BASE = 'http://vigil.test/api/v1/incidents';
const analyst = await createTestSession('analyst');
const viewer = await createTestSession('viewer');
const nextSlot = timeSlots('2032-03-01T00:00:00Z');
const params = (id: string) => ({ params: Promise.resolve({ id }) });
const regroup = () => regroupIncidents(pool, { gapHours: 24 });

async function incidentOf(alertId: string): Promise<string> {
  const result = await pool.query<{ incident_id: string }>(
    `SELECT incident_id FROM incident_alerts WHERE alert_id = $1 AND NOT removed`,
    [alertId],
  );
  return result.rows[0]!.incident_id;
}

async function detail(id: string, headers = analyst.headers) {
  const response = await getIncident(new Request(`${BASE}/${id}`, { headers }), params(id));
  expect(response.status, await response.clone().text()).toBe(200);
  return response.json();
}

const patch = (id: string, body: unknown, headers = analyst.headers) =>
  patchIncident(jsonRequest(`${BASE}/${id}`, 'PATCH', body, headers), params(id));

describe('the incidents API', () => {
  const user = `<img src=x onerror=alert(1)>\`-${randomUUID()}@example.test`;
  const ip = '203.0.113.77';
  let burstAlert: string;
  let laterAlert: string;
  let incidentId: string;

  it('lists and shows an incident grouped from a user’s alerts from one IP, with its story', async () => {
    const slot = nextSlot();
    burstAlert = (await raiseBurstAlert(pool, slot, { user, names: ['db-a', 'db-b', 'db-c'], sourceIp: ip })).id;
    laterAlert = await insertAlert(pool, {
      username: user,
      sourceIp: ip,
      firstEventAt: new Date(slot.start.getTime() + 3_600_000),
      severity: 'critical',
    });
    await regroup();
    incidentId = await incidentOf(burstAlert);
    expect(await incidentOf(laterAlert)).toBe(incidentId);

    const listed = await listIncidents(
      new Request(`${BASE}?q=${encodeURIComponent(user)}&status=open`, { headers: viewer.headers }),
    );
    expect(listed.status).toBe(200);
    const page = await listed.json();
    expect(page.incidents.map((incident: { id: string }) => incident.id)).toEqual([incidentId]);
    expect(page.incidents[0]).toMatchObject({ severity: 'critical', alertCount: 2, status: 'open' });

    const shown = await detail(incidentId, viewer.headers);
    expect(shown.members.map((member: { alertId: string }) => member.alertId)).toEqual([burstAlert, laterAlert]);
    expect(shown.members[1].reason).toBe(`joined because same user ${user} from ${ip}`);
    expect(shown.timeline).toHaveLength(3);
    expect(shown.timeline[0].alertIds).toEqual([burstAlert]);
    expect(shown.secrets.map((secret: { name: string }) => secret.name)).toEqual(['db-a', 'db-b', 'db-c']);
    expect(shown.entities.users).toEqual([user]);
    expect(shown.entities.ips).toEqual([ip]);
  });

  it('refuses triage to viewers and to nobody, and 404s an unknown incident', async () => {
    expect((await patch(incidentId, { note: 'x' }, viewer.headers)).status).toBe(403);
    expect((await getIncident(new Request(`${BASE}/${incidentId}`), params(incidentId))).status).toBe(401);
    const unknown = randomUUID();
    expect(
      (await getIncident(new Request(`${BASE}/${unknown}`, { headers: analyst.headers }), params(unknown))).status,
    ).toBe(404);
    expect((await patch(incidentId, { status: 'closed' })).status).toBe(400);
  });

  it('reports as Markdown with log values only in code spans, and as NDJSON with every member and event', async () => {
    const markdown = await getReport(
      new Request(`${BASE}/${incidentId}/report`, { headers: viewer.headers }),
      params(incidentId),
    );
    expect(markdown.headers.get('content-type')).toContain('text/markdown');
    const text = await markdown.text();
    expect(text).toContain('## Alerts');
    expect(text.replace(/``[^\n]*?``/g, '').replace(/`[^`\n]*`/g, '')).not.toContain('<img');
    const ndjson = await getReport(
      new Request(`${BASE}/${incidentId}/report?format=ndjson`, { headers: viewer.headers }),
      params(incidentId),
    );
    const lines = (await ndjson.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines[0]).toMatchObject({ type: 'incident', id: incidentId });
    expect(lines.filter((line) => line.type === 'alert')).toHaveLength(2);
    expect(lines.filter((line) => line.type === 'event')).toHaveLength(3);
  });

  it('acknowledges, notes and closes with the open members, each change in the history', async () => {
    expect((await patch(incidentId, { status: 'acknowledged', note: 'looking' })).status).toBe(200);
    const closed = await patch(incidentId, { status: 'closed', closeReason: 'true_positive', closeMembers: true });
    expect(closed.status).toBe(200);
    expect(await closed.json()).toMatchObject({
      changed: true,
      alertsClosed: 2,
      incident: { status: 'closed', closeReason: 'true_positive' },
    });
    const alerts = await pool.query(`SELECT status, close_reason FROM alerts WHERE id = ANY($1::uuid[])`, [
      [burstAlert, laterAlert],
    ]);
    expect(alerts.rows).toEqual([
      { status: 'closed', close_reason: 'true_positive' },
      { status: 'closed', close_reason: 'true_positive' },
    ]);
    expect((await historyOf(pool, laterAlert)).map((row) => row.kind)).toEqual(['status', 'reason', 'note']);
    const shown = await detail(incidentId);
    expect(
      shown.history
        .filter((entry: { actorName: string }) => entry.actorName !== 'system')
        .map((entry: { kind: string }) => entry.kind),
    ).toEqual(['status', 'note', 'status', 'reason', 'members-closed']);
    const bulk = await patchIncidents(
      jsonRequest(BASE, 'PATCH', { ids: [incidentId], status: 'open' }, analyst.headers),
    );
    expect(await bulk.json()).toEqual({ changed: 1 });
  });

  it('takes an alert out and merges another incident in, and regrouping keeps both', async () => {
    const removed = await patch(incidentId, { removeAlertId: laterAlert });
    expect(removed.status).toBe(200);
    expect((await removed.json()).incident.alertCount).toBe(1);

    const otherUser = `other-${randomUUID()}@example.test`;
    const otherAlert = await insertAlert(pool, { username: otherUser, sourceIp: '198.51.100.99' });
    await regroup();
    const otherIncident = await incidentOf(otherAlert);
    expect(otherIncident).not.toBe(incidentId);
    const merged = await patch(incidentId, { mergeFrom: otherIncident });
    expect(merged.status).toBe(200);

    const again = await regroup();
    expect(again.created).toBe(0);
    expect(await incidentOf(otherAlert)).toBe(incidentId);
    const removedRow = await pool.query(`SELECT removed, incident_id FROM incident_alerts WHERE alert_id = $1`, [
      laterAlert,
    ]);
    expect(removedRow.rows).toEqual([{ removed: true, incident_id: incidentId }]);
    const shown = await detail(incidentId);
    expect(shown.members.map((member: { alertId: string }) => member.alertId).sort()).toEqual(
      [burstAlert, otherAlert].sort(),
    );
    expect((await detail(otherIncident)).mergedIntoId).toBe(incidentId);
    expect((await patch(otherIncident, { note: 'x' })).status).toBe(409);
  });
});
