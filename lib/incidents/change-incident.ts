// An analyst's change to an incident: status (closing with a reason, optionally closing its open
// alerts with the same reason, each with its own history row), assignee, a note, a manual merge of
// another incident into it, taking an alert out. One transaction; every change has its history row.
import type pg from 'pg';
import { applyAlertChange, type TriageActor } from '../alerts/change-alerts';
import { readAssignee } from '../alerts/list-assignees';
import { AppError } from '../app-error';
import { withTransaction } from '../db/with-transaction';
import { highestSeverity, titleIncident } from './group-alerts';
import { insertIncidentHistory, selectGroupableAlerts } from './regroup-incidents';
import type { IncidentChange, IncidentStatus } from './schemas';

type Locked = {
  id: string;
  status: IncidentStatus;
  close_reason: string | null;
  assignee_id: string | null;
  assignee_email: string | null;
  merged_into: string | null;
};
type HistoryRow = Parameters<typeof insertIncidentHistory>[1][number];

async function lockIncident(client: pg.ClientBase, id: string): Promise<Locked | null> {
  const result = await client.query<Locked>(
    `SELECT i.id, i.status, i.close_reason, i.assignee_id, u.email AS assignee_email, i.merged_into
       FROM incidents i LEFT JOIN users u ON u.id = i.assignee_id WHERE i.id = $1 FOR UPDATE OF i`,
    [id],
  );
  return result.rows[0] ?? null;
}

/** Title, severity, span and count from the members, after a merge or a removal. */
async function refreshSummary(client: pg.ClientBase, id: string) {
  const alerts = await selectGroupableAlerts(
    client,
    `FROM incident_alerts ia JOIN alerts a ON a.id = ia.alert_id
      WHERE ia.incident_id = $1 AND NOT ia.removed ORDER BY a.first_event_at, a.id`,
    [id],
  );
  if (alerts.length === 0) {
    await client.query(`UPDATE incidents SET alert_count = 0, updated_at = now() WHERE id = $1`, [id]);
    return;
  }
  await client.query(
    `UPDATE incidents SET title = $2, severity = $3::"Severity", first_alert_id = $4, first_event_at = $5,
            last_event_at = $6, alert_count = $7, updated_at = now() WHERE id = $1`,
    [
      id,
      titleIncident(alerts),
      highestSeverity(alerts.map((alert) => alert.severity)),
      alerts[0]!.id,
      alerts[0]!.firstEventAt,
      new Date(Math.max(...alerts.map((alert) => alert.lastEventAt.getTime()))),
      alerts.length,
    ],
  );
}

export type IncidentChangeResult = { changed: boolean; alertsClosed: number };

export async function changeIncident(
  pool: pg.Pool,
  id: string,
  change: IncidentChange,
  actor: TriageActor,
): Promise<IncidentChangeResult> {
  return withTransaction(pool, async (client) => {
    const incident = await lockIncident(client, id);
    if (!incident) throw new AppError('not-found', 'no such incident');
    if (incident.merged_into)
      throw new AppError('conflict', `this incident was merged into ${incident.merged_into}; change that one`);
    const history: HistoryRow[] = [];
    const row = (
      kind: string,
      from: string | null,
      to: string | null,
      note: string | null,
      alertId: string | null = null,
    ) => history.push({ incidentId: id, kind, from, to, note, alertId });
    let alertsClosed = 0;

    if (change.mergeFrom) {
      if (change.mergeFrom === id) throw new AppError('invalid', 'an incident cannot be merged into itself');
      const other = await lockIncident(client, change.mergeFrom);
      if (!other) throw new AppError('not-found', 'mergeFrom: no such incident');
      if (other.merged_into) throw new AppError('conflict', 'mergeFrom: that incident was merged already');
      await client.query(`UPDATE incident_alerts SET incident_id = $1 WHERE incident_id = $2 AND NOT removed`, [
        id,
        other.id,
      ]);
      await client.query(
        `UPDATE incidents SET merged_into = $1, status = 'closed', close_reason = 'duplicate', alert_count = 0,
                updated_at = now() WHERE id = $2`,
        [id, other.id],
      );
      row('merged-from', other.id, null, 'merged by an analyst');
      history.push({
        incidentId: other.id,
        kind: 'merged',
        from: null,
        to: id,
        note: 'merged by an analyst',
        alertId: null,
      });
    }

    if (change.removeAlertId) {
      const removed = await client.query(
        `UPDATE incident_alerts SET removed = true WHERE alert_id = $1 AND incident_id = $2 AND NOT removed`,
        [change.removeAlertId, id],
      );
      if (removed.rowCount === 0) throw new AppError('invalid', 'removeAlertId: that alert is not in this incident');
      row('alert-removed', null, null, 'taken out by an analyst', change.removeAlertId);
    }
    if (change.mergeFrom || change.removeAlertId) await refreshSummary(client, id);

    if (change.status && change.status !== incident.status) {
      row('status', incident.status, change.status, null);
      await client.query(
        `UPDATE incidents SET status = $2::"AlertStatus", close_reason = $3::"CloseReason", updated_at = now() WHERE id = $1`,
        [id, change.status, change.status === 'closed' ? change.closeReason : null],
      );
    }
    if (change.status === 'closed' && change.closeReason && change.closeReason !== incident.close_reason) {
      row('reason', incident.close_reason, change.closeReason, null);
      await client.query(`UPDATE incidents SET close_reason = $2::"CloseReason" WHERE id = $1`, [
        id,
        change.closeReason,
      ]);
    }
    if (change.status === 'closed' && change.closeMembers) {
      const open = await client.query<{ alert_id: string }>(
        `SELECT ia.alert_id FROM incident_alerts ia JOIN alerts a ON a.id = ia.alert_id
          WHERE ia.incident_id = $1 AND NOT ia.removed AND a.status <> 'closed' ORDER BY ia.alert_id`,
        [id],
      );
      const ids = open.rows.map((member) => member.alert_id);
      if (ids.length) {
        const closed = await applyAlertChange(
          client,
          { ids },
          { status: 'closed', closeReason: change.closeReason, note: `closed with incident ${id}` },
          actor,
        );
        alertsClosed = closed.changed;
        row(
          'members-closed',
          null,
          String(alertsClosed),
          `closed ${alertsClosed} open alert(s) as ${change.closeReason}`,
        );
      }
    }
    if (change.assigneeId !== undefined && change.assigneeId !== incident.assignee_id) {
      const email = change.assigneeId ? await readAssignee(client, change.assigneeId) : null;
      row('assignee', incident.assignee_email, email, null);
      await client.query(`UPDATE incidents SET assignee_id = $2, updated_at = now() WHERE id = $1`, [
        id,
        change.assigneeId,
      ]);
    }
    if (change.note) row('note', null, null, change.note);

    await insertIncidentHistory(client, history, actor);
    return { changed: history.length > 0, alertsClosed };
  });
}

/** One status change over several incidents (the queue's bulk action); each writes its own history. */
export async function changeIncidentsStatus(
  pool: pg.Pool,
  ids: readonly string[],
  change: Pick<IncidentChange, 'status' | 'closeReason' | 'closeMembers'>,
  actor: TriageActor,
): Promise<{ changed: number }> {
  let changed = 0;
  for (const id of [...new Set(ids)].sort()) {
    const result = await changeIncident(pool, id, change as IncidentChange, actor);
    if (result.changed) changed++;
  }
  return { changed };
}
