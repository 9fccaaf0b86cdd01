// Triage changes — status, close reason, assignee, note — for one alert, a selection or
// everything a filter matches. Each change writes its history rows in the same transaction.
import type pg from 'pg';
import { withTransaction } from '../db/with-transaction';
import { buildAlertFilterSql } from './alert-filter-sql';
import { readAssignee } from './list-assignees';
import { ALERT_ROW_FROM } from './list-alerts';
import { BULK_CONFIRM_ABOVE, type AlertChange, type AlertFilter, type AlertStatus, type CloseReason } from './schemas';
import { AppError } from '../app-error';
import { alertEventsFrom } from '../notifications/alert-events';
import { enqueueAlertEvents } from '../notifications/route-events-job';

/** `anyOf`: the alerts any of the filters selects (the queue's ticked groups). */
export type AlertTarget = { ids: string[] } | { filter: AlertFilter } | { anyOf: AlertFilter[] };
export type TriageActor = { id: string | null; name: string };
export type AlertChangeResult = {
  /** Alerts the target selected. */
  matched: number;
  /** Alerts at least one history row was written for. */
  changed: number;
  /** Requested ids that do not exist. */
  missing: string[];
};

/** A bulk change by filter touches at most this many alerts; narrow the filter for more. */
export const MAX_BULK_ALERTS = 50_000;

type LockedAlert = {
  id: string;
  status: AlertStatus;
  close_reason: CloseReason | null;
  assignee_id: string | null;
  assignee_email: string | null;
};

type ActivityRow = { alertId: string; kind: string; from: string | null; to: string | null; note: string | null };

function buildAnyOfSql(filters: AlertFilter[]) {
  const params: unknown[] = [];
  const clauses = filters.map((filter) => {
    const fragment = buildAlertFilterSql(filter, { offset: params.length });
    params.push(...fragment.params);
    return `(${fragment.where})`;
  });
  return { where: clauses.length ? clauses.join(' OR ') : 'FALSE', params };
}

async function lockTargets(client: pg.ClientBase, target: AlertTarget): Promise<LockedAlert[]> {
  const columns = `a.id, a.status, a.close_reason, a.assignee_id, u.email AS assignee_email`;
  if ('ids' in target) {
    const result = await client.query<LockedAlert>(
      `SELECT ${columns} FROM ${ALERT_ROW_FROM} WHERE a.id = ANY($1::uuid[]) ORDER BY a.id FOR UPDATE OF a`,
      [target.ids],
    );
    return result.rows;
  }
  const { where, params } = 'filter' in target ? buildAlertFilterSql(target.filter) : buildAnyOfSql(target.anyOf);
  const result = await client.query<LockedAlert>(
    `SELECT ${columns} FROM ${ALERT_ROW_FROM} WHERE ${where} ORDER BY a.id LIMIT ${MAX_BULK_ALERTS + 1} FOR UPDATE OF a`,
    params,
  );
  if (result.rows.length > MAX_BULK_ALERTS)
    throw new AppError(
      'too-large',
      `the filter selects more than ${MAX_BULK_ALERTS} alerts; narrow it and apply the change in parts`,
    );
  return result.rows;
}

/** A close reason alone means closing. */
function targetStatus(change: AlertChange): AlertStatus | undefined {
  return change.status ?? (change.closeReason ? 'closed' : undefined);
}

/** Plans the history of one alert under the change; an empty plan means nothing changes. */
function planActivity(alert: LockedAlert, change: AlertChange, assigneeEmail: string | null): ActivityRow[] {
  const rows: ActivityRow[] = [];
  const status = targetStatus(change);
  if (status && status !== alert.status) {
    rows.push({ alertId: alert.id, kind: 'status', from: alert.status, to: status, note: null });
  }
  if (status === 'closed' && change.closeReason && change.closeReason !== alert.close_reason) {
    rows.push({ alertId: alert.id, kind: 'reason', from: alert.close_reason, to: change.closeReason, note: null });
  }
  if (change.assigneeId !== undefined && change.assigneeId !== alert.assignee_id) {
    rows.push({ alertId: alert.id, kind: 'assignee', from: alert.assignee_email, to: assigneeEmail, note: null });
  }
  if (change.note) rows.push({ alertId: alert.id, kind: 'note', from: null, to: null, note: change.note });
  return rows;
}

/** Applies a change inside the caller's transaction. */
export async function applyAlertChange(
  client: pg.ClientBase,
  target: AlertTarget,
  change: AlertChange,
  actor: TriageActor,
): Promise<AlertChangeResult> {
  const alerts = await lockTargets(client, target);
  const found = new Set(alerts.map((alert) => alert.id));
  const missing = 'ids' in target ? [...new Set(target.ids)].filter((id) => !found.has(id)) : [];
  const assigneeEmail = change.assigneeId ? await readAssignee(client, change.assigneeId) : null;
  const activity = alerts.flatMap((alert) => planActivity(alert, change, assigneeEmail));
  const status = targetStatus(change);

  const statusIds = activity.filter((row) => row.kind === 'status' || row.kind === 'reason').map((row) => row.alertId);
  if (status && statusIds.length) {
    await client.query(
      `UPDATE alerts SET status = $2::"AlertStatus", close_reason = $3::"CloseReason", updated_at = now()
        WHERE id = ANY($1::uuid[])`,
      [[...new Set(statusIds)], status, status === 'closed' ? change.closeReason : null],
    );
  }
  const assigneeIds = activity.filter((row) => row.kind === 'assignee').map((row) => row.alertId);
  if (assigneeIds.length) {
    await client.query(`UPDATE alerts SET assignee_id = $2, updated_at = now() WHERE id = ANY($1::uuid[])`, [
      assigneeIds,
      change.assigneeId,
    ]);
  }
  await insertActivity(client, activity, actor);
  await enqueueAlertEvents(client, alertEventsFrom(activity, [], new Date()));
  return { matched: alerts.length, changed: new Set(activity.map((row) => row.alertId)).size, missing };
}

export async function insertActivity(client: pg.ClientBase, rows: ActivityRow[], actor: TriageActor) {
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO alert_activity (alert_id, actor_id, actor_name, kind, from_value, to_value, note)
     SELECT alert_id, $1::uuid, $2, kind, from_value, to_value, note
       FROM unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[])
            AS t(alert_id, kind, from_value, to_value, note)`,
    [
      actor.id,
      actor.name,
      rows.map((row) => row.alertId),
      rows.map((row) => row.kind),
      rows.map((row) => row.from),
      rows.map((row) => row.to),
      rows.map((row) => row.note),
    ],
  );
}

/** Changes one alert, a selection (ids) or everything a filter selects, in one transaction. */
export async function changeAlerts(
  pool: pg.Pool,
  target: AlertTarget,
  change: AlertChange,
  actor: TriageActor,
  { confirmed = false }: { confirmed?: boolean } = {},
): Promise<AlertChangeResult> {
  return withTransaction(pool, async (client) => {
    const result = await applyAlertChange(client, target, change, actor);
    // Counted under the same locks that apply it, so the number asked about is the number changed.
    if (result.matched > BULK_CONFIRM_ABOVE && !confirmed)
      throw new AppError(
        'conflict',
        `this change reaches ${result.matched} alerts (more than ${BULK_CONFIRM_ABOVE}): send it again with "confirm": true to apply it`,
      );
    return result;
  });
}

/** Changes one alert; 404 when it does not exist. */
export async function changeAlert(pool: pg.Pool, id: string, change: AlertChange, actor: TriageActor) {
  const result = await changeAlerts(pool, { ids: [id] }, change, actor);
  if (result.missing.length) throw new AppError('not-found', 'no such alert');
  return result;
}
