// Clusters through the API against a real database: the queue's cluster filter, group-by and
// risk sort, exports naming each row's cluster, an allowlist entry scoped to one cluster leaving
// the same activity in another alone (preview, save and the next detection run), entity pages per
// cluster, a closed alert's reason changed with its history, and a change to whole groups.
// Event and alert times are in 2049, which no other file uses.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { PATCH as patchAlert } from '../../app/api/v1/alerts/[id]/route';
import { GET as exportAlerts } from '../../app/api/v1/alerts/export/route';
import { GET as listAlertsRoute } from '../../app/api/v1/alerts/route';
import { POST as previewRoute } from '../../app/api/v1/allowlist/preview/route';
import { GET as listAllowlistRoute, POST as createRoute } from '../../app/api/v1/allowlist/route';
import { GET as userRoute } from '../../app/api/v1/entities/users/[name]/route';
import { GET as exportEvents } from '../../app/api/v1/events/export/route';
import { changeAlerts } from '../../lib/alerts/change-alerts';
import { listAlertGroups, narrowToGroup } from '../../lib/alerts/list-alerts';
import { getPool } from '../../lib/db/pool';
import {
  BURST_RULE,
  alertsOf,
  detectBursts,
  historyOf,
  ingestEvents,
  insertAlert,
  jsonRequest,
  secretGets,
  seedRules,
  timeSlots,
  uniqueUser,
} from '../support/alert-factory';
import { createTestSession } from '../support/credentials';

await seedRules();
const pool = getPool();
const analyst = await createTestSession('analyst');
afterAll(async () => {
  await pool.end();
});

const BASE = 'http://vigil.test/api/v1';
const nextSlot = timeSlots('2049-02-01T00:00:00Z');
const get = (handler: (request: Request) => Promise<Response>, path: string) =>
  handler(new Request(`${BASE}${path}`, { headers: analyst.headers }));

/** Three clusters of this test's own, and alerts of one user in each: 2 in the first, 1 in each other. */
async function storeAlertsInClusters() {
  const tag = randomUUID().slice(0, 8);
  const clusters = [`prod-eu-${tag}`, `prod-us-${tag}`, `staging-${tag}`];
  const user = uniqueUser('clustered');
  const at = new Date('2049-01-10T10:00:00Z');
  const ids = {
    euLow: await insertAlert(pool, { cluster: clusters[0], username: user, riskScore: 21, firstEventAt: at }),
    euHigh: await insertAlert(pool, { cluster: clusters[0], username: user, riskScore: 99, firstEventAt: at }),
    us: await insertAlert(pool, { cluster: clusters[1], username: user, riskScore: 47, firstEventAt: at }),
    staging: await insertAlert(pool, { cluster: clusters[2], username: user, riskScore: 73, firstEventAt: at }),
  };
  return { clusters, user, ids };
}

describe('GET /api/v1/alerts with clusters', () => {
  it('filters by cluster, sorts by risk and says what is wrong with a bad cluster', async () => {
    const { clusters, user, ids } = await storeAlertsInClusters();
    const byCluster = await get(listAlertsRoute, `/alerts?status=all&cluster=${clusters[0]}`);
    expect(byCluster.status).toBe(200);
    const page = await byCluster.json();
    expect(page.total).toBe(2);
    expect(page.rows.map((row: { cluster: string }) => row.cluster)).toEqual([clusters[0], clusters[0]]);
    expect(page.statusCounts).toMatchObject({ open: 2, all: 2 });

    const byRisk = await (await get(listAlertsRoute, `/alerts?status=all&user=${user}&sort=risk`)).json();
    expect(byRisk.rows.map((row: { id: string }) => row.id)).toEqual([ids.euHigh, ids.staging, ids.us, ids.euLow]);
    const ascending = await (await get(listAlertsRoute, `/alerts?status=all&user=${user}&sort=risk&dir=asc`)).json();
    expect(ascending.rows.map((row: { riskScore: number }) => row.riskScore)).toEqual([21, 47, 73, 99]);

    const tooLong = await get(listAlertsRoute, `/alerts?cluster=${'c'.repeat(1025)}`);
    expect(tooLong.status).toBe(400);
    expect(JSON.stringify(await tooLong.json())).toMatch(/cluster.*1,024 characters/);
  });

  it('groups the queue by cluster, and a group narrows to its cluster', async () => {
    const { clusters, user } = await storeAlertsInClusters();
    const groups = await listAlertGroups(pool, { user }, 'cluster');
    expect(groups.map((group) => [group.key, group.label, group.count, group.open])).toEqual([
      [clusters[0], clusters[0], 2, 2],
      ...[clusters[1], clusters[2]].sort().map((cluster) => [cluster, cluster, 1, 1]),
    ]);
    expect(narrowToGroup({ user }, 'cluster', clusters[1]!)).toEqual({ user, cluster: clusters[1] });
  });

  it('changes every alert of the ticked groups, and only those', async () => {
    const { clusters, user, ids } = await storeAlertsInClusters();
    const filter = { user };
    const result = await changeAlerts(
      pool,
      { anyOf: [clusters[0]!, clusters[2]!].map((key) => narrowToGroup(filter, 'cluster', key)) },
      { status: 'acknowledged', note: 'two clusters at once' },
      { id: null, name: 'clusters test' },
    );
    expect(result).toEqual({ matched: 3, changed: 3, missing: [] });
    const statuses = await pool.query<{ id: string; status: string }>(
      `SELECT id, status FROM alerts WHERE username = $1`,
      [user],
    );
    expect(Object.fromEntries(statuses.rows.map((row) => [row.id, row.status]))).toEqual({
      [ids.euLow]: 'acknowledged',
      [ids.euHigh]: 'acknowledged',
      [ids.staging]: 'acknowledged',
      [ids.us]: 'open',
    });
    expect((await historyOf(pool, ids.staging)).map((row) => row.kind)).toEqual(['status', 'note']);
  });
});

describe('exports name the cluster', () => {
  it('writes each alert’s cluster in CSV and NDJSON', async () => {
    const { clusters, user, ids } = await storeAlertsInClusters();
    const csv = await (await get(exportAlerts, `/alerts/export?format=csv&status=all&user=${user}&sort=risk`)).text();
    const [header, ...lines] = csv.trim().split('\r\n');
    const column = header!.split(',').indexOf('cluster');
    expect(column).toBeGreaterThan(-1);
    expect(lines.map((line) => line.split(',')[column])).toEqual([clusters[0], clusters[2], clusters[1], clusters[0]]);

    const ndjson = await (
      await get(exportAlerts, `/alerts/export?format=ndjson&status=all&cluster=${clusters[1]}`)
    ).text();
    expect(
      ndjson
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual([expect.objectContaining({ id: ids.us, cluster: clusters[1] })]);
  });

  it('writes each event’s cluster, and the explorer’s cluster filter selects the file', async () => {
    const slot = nextSlot();
    const user = uniqueUser('exported');
    const tag = randomUUID().slice(0, 8);
    for (const cluster of [`a-${tag}`, `b-${tag}`])
      await ingestEvents(pool, secretGets({ user, start: slot.start, names: ['one', 'two'] }), cluster);
    const range = `from=${slot.start.toISOString()}&to=${slot.end.toISOString()}`;
    const ndjson = await (await get(exportEvents, `/events/export?format=ndjson&user=${user}&${range}`)).text();
    const rows = ndjson
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { cluster: string });
    expect(rows.map((row) => row.cluster).sort()).toEqual([`a-${tag}`, `a-${tag}`, `b-${tag}`, `b-${tag}`]);
    const csv = await (
      await get(exportEvents, `/events/export?format=csv&user=${user}&cluster=b-${tag}&${range}`)
    ).text();
    const [header, ...lines] = csv.trim().split('\r\n');
    const column = header!.split(',').indexOf('cluster');
    expect(column).toBeGreaterThan(-1);
    expect(lines.map((line) => line.split(',')[column])).toEqual([`b-${tag}`, `b-${tag}`]);
  });
});

describe('an allowlist entry scoped to one cluster', () => {
  it('previews, closes and suppresses cluster A only; the same activity in cluster B stays alerted', async () => {
    const slot = nextSlot();
    const tag = randomUUID().slice(0, 8);
    // A service account is one identity per cluster: the same burst raises one alert in each.
    const user = `system:serviceaccount:backup:runner-${tag}`;
    const [clusterA, clusterB] = [`alpha-${tag}`, `beta-${tag}`];
    const names = ['k1', 'k2', 'k3', 'k4', 'k5'].map((name) => `${tag}-${name}`);
    for (const cluster of [clusterA, clusterB])
      await ingestEvents(pool, secretGets({ user, start: slot.start, names, sourceIp: '10.20.30.40' }), cluster);
    await detectBursts(pool, slot);
    const alerts = await pool.query<{ id: string; cluster: string }>(
      `SELECT id, cluster FROM alerts WHERE username = $1 AND withdrawn_at IS NULL ORDER BY cluster`,
      [user],
    );
    expect(alerts.rows.map((row) => row.cluster)).toEqual([clusterA, clusterB]);
    const [alertA, alertB] = alerts.rows;

    const conditions = [
      { field: 'username', op: 'exact', value: user },
      { field: 'cluster', op: 'oneOf', value: [clusterA] },
    ];
    const preview = await previewRoute(
      jsonRequest(`${BASE}/allowlist/preview`, 'POST', { ruleId: BURST_RULE, conditions }, analyst.headers),
    );
    expect(preview.status).toBe(200);
    expect(await preview.json()).toMatchObject({
      evidenceEvents: 5,
      storedEvents: 5,
      alerts: 1,
      alertsToClose: 1,
      sample: [{ id: alertA!.id, cluster: clusterA, username: user, status: 'open' }],
    });

    const reason = `backup runner in ${clusterA} only ${tag}`;
    const created = await createRoute(
      jsonRequest(
        `${BASE}/allowlist`,
        'POST',
        { ruleId: BURST_RULE, conditions, reason, sourceAlertId: alertA!.id },
        analyst.headers,
      ),
    );
    expect(created.status).toBe(201);
    const body = await created.json();
    expect(body.closedAlerts).toBe(1);

    const rerun = await detectBursts(pool, slot);
    expect(rerun.rules[0]!.allowlisted).toBe(5);
    // Both alerts start at the same time (one burst, two clusters): compared by id, not by their order.
    const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));
    expect(byId(await alertsOf(pool, user))).toEqual(
      byId([
        { id: alertA!.id, status: 'closed', close_reason: 'false_positive', event_count: 5 },
        { id: alertB!.id, status: 'open', close_reason: null, event_count: 5 },
      ]),
    );
    const withdrawn = await pool.query(`SELECT withdrawn_at FROM alerts WHERE id = $1`, [alertB!.id]);
    expect(withdrawn.rows[0].withdrawn_at).toBeNull();
    const listed = await (await get(listAllowlistRoute, '/allowlist')).json();
    expect(listed.entries.find((entry: { id: string }) => entry.id === body.entry.id)).toMatchObject({
      hitCount: 5,
      conditions,
    });
  });

  it('refuses a cluster condition without a value, as the false-positive form would', async () => {
    const response = await createRoute(
      jsonRequest(
        `${BASE}/allowlist`,
        'POST',
        { ruleId: null, conditions: [{ field: 'cluster', op: 'oneOf', value: [] }], reason: 'empty' },
        analyst.headers,
      ),
    );
    expect(response.status).toBe(400);
  });
});

describe('entity pages per cluster', () => {
  it('lists the clusters a user acted in, and narrows every panel to one of them', async () => {
    const slot = nextSlot();
    const user = uniqueUser('roaming');
    const tag = randomUUID().slice(0, 8);
    const clusters = [`one-${tag}`, `two-${tag}`, `three-${tag}`];
    for (const [index, cluster] of clusters.entries())
      await ingestEvents(
        pool,
        secretGets({ user, start: slot.start, names: Array.from({ length: index + 1 }, (_, n) => `s${n}`) }),
        cluster,
      );
    await insertAlert(pool, { cluster: clusters[1], username: user, firstEventAt: slot.start });
    const range = `from=${slot.start.toISOString()}&to=${slot.end.toISOString()}`;
    const path = `/entities/users/${encodeURIComponent(user)}?${range}`;
    const params = { params: Promise.resolve({ name: user }) };
    const all = await userRoute(new Request(`${BASE}${path}`, { headers: analyst.headers }), params);
    expect(all.status).toBe(200);
    const profile = await all.json();
    expect(profile.cluster).toBeNull();
    expect(profile.totals.events).toBe(6);
    expect(profile.clusters.map((entry: { value: string; count: number }) => [entry.value, entry.count])).toEqual([
      [clusters[2], 3],
      [clusters[1], 2],
      [clusters[0], 1],
    ]);

    const one = await userRoute(new Request(`${BASE}${path}&cluster=${clusters[1]}`, { headers: analyst.headers }), {
      params: Promise.resolve({ name: user }),
    });
    const narrowed = await one.json();
    expect(narrowed.cluster).toBe(clusters[1]);
    expect(narrowed.totals.events).toBe(2);
    expect(narrowed.clusters).toHaveLength(3);
    expect(narrowed.alerts.total).toBe(1);
    const other = await userRoute(new Request(`${BASE}${path}&cluster=${clusters[0]}`, { headers: analyst.headers }), {
      params: Promise.resolve({ name: user }),
    });
    expect(await other.json()).toMatchObject({ totals: { events: 1 }, alerts: { total: 0 } });

    // Without a range in the URL, narrowing keeps the page's range: every cluster stays listed.
    const bare = `${BASE}/entities/users/${encodeURIComponent(user)}`;
    const unscoped = await (await userRoute(new Request(bare, { headers: analyst.headers }), params)).json();
    const scoped = await (
      await userRoute(new Request(`${bare}?cluster=${clusters[0]}`, { headers: analyst.headers }), {
        params: Promise.resolve({ name: user }),
      })
    ).json();
    expect(scoped.range).toEqual(unscoped.range);
    expect(scoped.clusters).toHaveLength(3);
    expect(scoped.totals.events).toBe(1);
  });
});

describe('a closed alert’s close reason', () => {
  it('changes in place, the status untouched, with a history row from the old reason to the new', async () => {
    const id = await insertAlert(pool, { status: 'closed', closeReason: 'true_positive', cluster: 'reasons' });
    const response = await patchAlert(
      jsonRequest(`${BASE}/alerts/${id}`, 'PATCH', { closeReason: 'benign_positive' }, analyst.headers),
      { params: Promise.resolve({ id }) },
    );
    expect(response.status).toBe(200);
    const stored = await pool.query(`SELECT status, close_reason FROM alerts WHERE id = $1`, [id]);
    expect(stored.rows[0]).toEqual({ status: 'closed', close_reason: 'benign_positive' });
    expect(await historyOf(pool, id)).toEqual([
      expect.objectContaining({
        kind: 'reason',
        from_value: 'true_positive',
        to_value: 'benign_positive',
        actor_name: analyst.email,
      }),
    ]);
  });
});
