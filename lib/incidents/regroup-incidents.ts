// Brings incidents in step with the alerts: groups every live alert (group-alerts.ts) and reconciles the
// groups with the stored incidents, so analysts' status, notes and assignees stay with their incident.
// Writes only what differs: re-running over unchanged alerts writes nothing. The owner of incidents,
// incident_alerts and incident_history; one regrouping at a time (an advisory lock).
import type pg from 'pg';
import { withRetriedTransaction } from '../db/with-transaction';
import { groupAlerts, highestSeverity, titleIncident, type AlertGroup, type GroupableAlert } from './group-alerts';
import type { Severity } from './schemas';

export type RegroupResult = { created: number; changed: number; merged: number; alerts: number };

type StoredIncident = {
  id: string;
  merged_into: string | null;
  created_at: Date;
  title: string;
  severity: Severity;
  first_alert_id: string | null;
  first_event_at: Date | null;
  last_event_at: Date | null;
  alert_count: number;
};
type Membership = { alert_id: string; incident_id: string; joined_with: string | null; reason: string | null };
type HistoryRow = {
  incidentId: string;
  kind: string;
  from: string | null;
  to: string | null;
  note: string | null;
  alertId: string | null;
};

const SYSTEM = 'system';

/** Alerts as grouping reads them, from `FROM alerts a …` (the clauses after the SELECT list). */
export async function selectGroupableAlerts(
  client: pg.ClientBase,
  fromClause: string,
  values: unknown[] = [],
): Promise<GroupableAlert[]> {
  const result = await client.query<{
    id: string;
    rule_id: string;
    severity: Severity;
    cluster: string | null;
    first_event_at: Date;
    last_event_at: Date;
    username: string | null;
    pod_name: string | null;
    pod_namespace: string | null;
    source_ips: string[];
  }>(
    `SELECT a.id, a.rule_id, a.severity, a.cluster, a.first_event_at, a.last_event_at, a.username, a.pod_name,
            a.details->>'podNamespace' AS pod_namespace, a.source_ips
       ${fromClause}`,
    values,
  );
  return result.rows.map((row) => ({
    id: row.id,
    ruleId: row.rule_id,
    severity: row.severity,
    cluster: row.cluster,
    firstEventAt: row.first_event_at,
    lastEventAt: row.last_event_at,
    username: row.username,
    podName: row.pod_name,
    podNamespace: row.pod_namespace,
    sourceIps: row.source_ips ?? [],
  }));
}

function readGroupableAlerts(client: pg.ClientBase): Promise<GroupableAlert[]> {
  return selectGroupableAlerts(
    client,
    `FROM alerts a
      WHERE a.withdrawn_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM incident_alerts ia WHERE ia.alert_id = a.id AND ia.removed)`,
  );
}

export async function insertIncidentHistory(
  client: pg.ClientBase,
  rows: readonly HistoryRow[],
  actor: { id: string | null; name: string },
) {
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO incident_history (incident_id, actor_id, actor_name, kind, from_value, to_value, note, alert_id)
     SELECT incident_id, $1::uuid, $2, kind, from_value, to_value, note, alert_id
       FROM unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::uuid[])
            AS t(incident_id, kind, from_value, to_value, note, alert_id)`,
    [
      actor.id,
      actor.name,
      rows.map((row) => row.incidentId),
      rows.map((row) => row.kind),
      rows.map((row) => row.from),
      rows.map((row) => row.to),
      rows.map((row) => row.note),
      rows.map((row) => row.alertId),
    ],
  );
}

/**
 * An incident never splits by itself: groups holding alerts of one incident (an analyst merged two, or a
 * withdrawn alert was the only link) stay together, the later parts explained as kept with it.
 */
function keepIncidentsTogether(groups: AlertGroup[], incidentOf: (alertId: string) => string | null): AlertGroup[] {
  const owner = new Map<string, number>();
  const parent = groups.map((_, index) => index);
  const root = (index: number): number => (parent[index] === index ? index : (parent[index] = root(parent[index]!)));
  groups.forEach((group, index) => {
    for (const member of group.members) {
      const incident = incidentOf(member.alertId);
      if (!incident) continue;
      const known = owner.get(incident);
      if (known === undefined) owner.set(incident, index);
      else {
        const [a, b] = [root(known), root(index)];
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
  });
  const joined = new Map<number, AlertGroup>();
  groups.forEach((group, index) => {
    const into = joined.get(root(index));
    if (!into) {
      joined.set(root(index), { firstAlertId: group.firstAlertId, members: [...group.members] });
      return;
    }
    for (const member of group.members)
      into.members.push(
        member.joinedWith === null
          ? { ...member, joinedWith: into.firstAlertId, reason: 'kept with its incident (merged or joined before)' }
          : member,
      );
  });
  return [...joined.values()];
}

/** Regroups every live alert; `gapHours` is VIGIL_INCIDENT_GAP_HOURS. */
export async function regroupIncidents(pool: pg.Pool, options: { gapHours: number }): Promise<RegroupResult> {
  return withRetriedTransaction(pool, (client) => regroupInTransaction(client, options.gapHours));
}

async function regroupInTransaction(client: pg.ClientBase, gapHours: number): Promise<RegroupResult> {
  await client.query(`SELECT pg_advisory_xact_lock(hashtext('vigil-incidents-regroup'))`);
  const alerts = await readGroupableAlerts(client);
  const byId = new Map(alerts.map((alert) => [alert.id, alert]));
  const incidents = new Map(
    (
      await client.query<StoredIncident>(
        `SELECT id, merged_into, created_at, title, severity, first_alert_id, first_event_at, last_event_at, alert_count
           FROM incidents`,
      )
    ).rows.map((row) => [row.id, row]),
  );
  const memberships = new Map(
    (
      await client.query<Membership>(
        `SELECT alert_id, incident_id, joined_with, reason FROM incident_alerts WHERE NOT removed`,
      )
    ).rows.map((row) => [row.alert_id, row]),
  );
  const resolve = (id: string) => {
    let current = id;
    for (let hops = 0; hops < 100; hops++) {
      const next = incidents.get(current)?.merged_into;
      if (!next) break;
      current = next;
    }
    return current;
  };
  const older = (left: string, right: string) => {
    const a = incidents.get(left)!;
    const b = incidents.get(right)!;
    return a.created_at.getTime() - b.created_at.getTime() || (left < right ? -1 : left > right ? 1 : 0);
  };

  const groups = keepIncidentsTogether(groupAlerts(alerts, gapHours * 3_600_000), (alertId) => {
    const known = memberships.get(alertId);
    return known ? resolve(known.incident_id) : null;
  });
  const taken = new Set<string>();
  const history: HistoryRow[] = [];
  const result: RegroupResult = { created: 0, changed: 0, merged: 0, alerts: alerts.length };
  const desired = new Map<string, Membership>();
  const touched = new Set<string>();

  for (const group of groups) {
    const candidates = [
      ...new Set(
        group.members.flatMap((member) => {
          const known = memberships.get(member.alertId);
          return known ? [resolve(known.incident_id)] : [];
        }),
      ),
    ]
      .filter((id) => !taken.has(id))
      .sort(older);
    let incidentId = candidates[0];
    if (!incidentId) {
      const members = group.members.map((member) => byId.get(member.alertId)!);
      const inserted = await client.query<StoredIncident>(
        `INSERT INTO incidents (id, title, severity, first_alert_id, first_event_at, last_event_at, alert_count)
         VALUES (gen_random_uuid(), $1, $2::"Severity", $3, $4, $5, $6)
         RETURNING id, merged_into, created_at, title, severity, first_alert_id, first_event_at, last_event_at, alert_count`,
        [
          titleIncident(members),
          highestSeverity(members.map((member) => member.severity)),
          group.firstAlertId,
          members[0]!.firstEventAt,
          new Date(Math.max(...members.map((member) => member.lastEventAt.getTime()))),
          members.length,
        ],
      );
      incidentId = inserted.rows[0]!.id;
      incidents.set(incidentId, inserted.rows[0]!);
      history.push({ incidentId, kind: 'created', from: null, to: null, note: null, alertId: group.firstAlertId });
      result.created++;
    }
    taken.add(incidentId);
    // Incidents grouping now joins to this one: merged into it, their history kept.
    for (const other of candidates.slice(1)) {
      history.push({
        incidentId: other,
        kind: 'merged',
        from: null,
        to: incidentId,
        note: 'joined by grouping',
        alertId: null,
      });
      history.push({
        incidentId,
        kind: 'merged-from',
        from: other,
        to: null,
        note: 'joined by grouping',
        alertId: null,
      });
      await client.query(`UPDATE incidents SET merged_into = $2, alert_count = 0, updated_at = now() WHERE id = $1`, [
        other,
        incidentId,
      ]);
      incidents.get(other)!.merged_into = incidentId;
      incidents.get(other)!.alert_count = 0;
      result.merged++;
    }
    for (const member of group.members)
      desired.set(member.alertId, {
        alert_id: member.alertId,
        incident_id: incidentId,
        joined_with: member.joinedWith,
        reason: member.reason,
      });
  }

  const upserts: Membership[] = [];
  for (const [alertId, want] of desired) {
    const have = memberships.get(alertId);
    if (
      have &&
      have.incident_id === want.incident_id &&
      have.joined_with === want.joined_with &&
      have.reason === want.reason
    )
      continue;
    upserts.push(want);
    touched.add(want.incident_id);
    if (!have || have.incident_id !== want.incident_id) {
      if (have) touched.add(have.incident_id);
      history.push({
        incidentId: want.incident_id,
        kind: 'alert-added',
        from: have?.incident_id ?? null,
        to: null,
        note: want.reason,
        alertId,
      });
    }
  }
  // Members no longer live (withdrawn by detection, deleted): they leave their incident.
  const gone = [...memberships.values()].filter((membership) => !desired.has(membership.alert_id));
  for (const membership of gone) {
    touched.add(membership.incident_id);
    history.push({
      incidentId: membership.incident_id,
      kind: 'alert-left',
      from: null,
      to: null,
      note: 'the alert is no longer raised',
      alertId: membership.alert_id,
    });
  }
  if (gone.length)
    await client.query(`DELETE FROM incident_alerts WHERE alert_id = ANY($1::uuid[]) AND NOT removed`, [
      gone.map((membership) => membership.alert_id),
    ]);
  if (upserts.length)
    await client.query(
      `INSERT INTO incident_alerts (alert_id, incident_id, joined_with, reason)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[])
       ON CONFLICT (alert_id) DO UPDATE
         SET incident_id = EXCLUDED.incident_id, joined_with = EXCLUDED.joined_with, reason = EXCLUDED.reason,
             added_at = CASE WHEN incident_alerts.incident_id = EXCLUDED.incident_id THEN incident_alerts.added_at ELSE now() END`,
      [
        upserts.map((row) => row.alert_id),
        upserts.map((row) => row.incident_id),
        upserts.map((row) => row.joined_with),
        upserts.map((row) => row.reason),
      ],
    );

  result.changed = await refreshSummaries(client, incidents, desired, byId, touched);
  await insertIncidentHistory(client, history, { id: null, name: SYSTEM });
  return result;
}

/** Title, severity, span and count of each touched incident, written only where they differ. */
async function refreshSummaries(
  client: pg.ClientBase,
  incidents: Map<string, StoredIncident>,
  desired: Map<string, Membership>,
  byId: Map<string, GroupableAlert>,
  touched: Set<string>,
): Promise<number> {
  const members = new Map<string, GroupableAlert[]>();
  for (const membership of desired.values()) {
    if (!touched.has(membership.incident_id)) continue;
    const list = members.get(membership.incident_id) ?? [];
    list.push(byId.get(membership.alert_id)!);
    members.set(membership.incident_id, list);
  }
  let changed = 0;
  for (const incidentId of [...touched].sort()) {
    const stored = incidents.get(incidentId)!;
    const list = (members.get(incidentId) ?? []).sort(
      (a, b) => a.firstEventAt.getTime() - b.firstEventAt.getTime() || (a.id < b.id ? -1 : 1),
    );
    const next = {
      title: list.length ? titleIncident(list) : stored.title,
      severity: list.length ? highestSeverity(list.map((alert) => alert.severity)) : stored.severity,
      firstAlertId: list[0]?.id ?? stored.first_alert_id,
      firstEventAt: list[0]?.firstEventAt ?? stored.first_event_at,
      lastEventAt: list.length
        ? new Date(Math.max(...list.map((alert) => alert.lastEventAt.getTime())))
        : stored.last_event_at,
      alertCount: stored.merged_into ? 0 : list.length,
    };
    const same =
      next.title === stored.title &&
      next.severity === stored.severity &&
      next.firstAlertId === stored.first_alert_id &&
      next.firstEventAt?.getTime() === stored.first_event_at?.getTime() &&
      next.lastEventAt?.getTime() === stored.last_event_at?.getTime() &&
      next.alertCount === stored.alert_count;
    if (same) continue;
    await client.query(
      `UPDATE incidents SET title = $2, severity = $3::"Severity", first_alert_id = $4, first_event_at = $5,
              last_event_at = $6, alert_count = $7, updated_at = now()
        WHERE id = $1`,
      [incidentId, next.title, next.severity, next.firstAlertId, next.firstEventAt, next.lastEventAt, next.alertCount],
    );
    changed++;
  }
  return changed;
}
