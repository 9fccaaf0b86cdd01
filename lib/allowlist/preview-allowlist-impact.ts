// What an allowlist entry would do before it is saved: the evidence and alerts it would have
// matched, the stored events its conditions match, and the open alerts saving it would close.
import type pg from 'pg';
import type { AllowlistCondition } from './schemas';
import { buildConditionsSql } from './allowlist-condition-sql';

export type AllowlistScope = { ruleId: string | null; conditions: AllowlistCondition[]; sourceAlertId?: string };

export type AllowlistImpact = {
  /** Evidence events of in-scope alerts the conditions match. */
  evidenceEvents: number;
  /** Every stored audit event the conditions match, whatever rule would see it. */
  storedEvents: number;
  /** In-scope alerts whose every audit evidence event matches: the entry would have prevented them. */
  alerts: number;
  /** Of those, the ones still open or acknowledged (plus the source alert): saving closes them as false positive. */
  alertsToClose: number;
  /** Up to 20 of the alerts to close, for the analyst to check. */
  sample: {
    id: string;
    ruleId: string;
    cluster: string | null;
    ruleName: string;
    username: string | null;
    sourceIp: string | null;
    status: string;
  }[];
};

/** The ids of in-scope alerts whose every audit evidence event matches, with their status. */
async function readAlertMatches(client: pg.Pool | pg.ClientBase, scope: AllowlistScope) {
  const params: unknown[] = [scope.ruleId];
  const matches = buildConditionsSql(scope.conditions, 'e', params);
  const result = await client.query<{
    id: string;
    rule_id: string;
    cluster: string | null;
    rule_name: string;
    username: string | null;
    source_ip: string | null;
    status: string;
    events: string;
    matched: string;
  }>(
    `SELECT a.id, a.rule_id, min(r.name) AS rule_name, a.cluster, a.username, a.source_ip, a.status, count(*) AS events,
        count(*) FILTER (WHERE ${matches}) AS matched
       FROM alerts a JOIN rules r ON r.id = a.rule_id JOIN alert_events ae ON ae.alert_id = a.id JOIN evidence_audit_events e ON e.id = ae.event_id
      WHERE ($1::text IS NULL OR a.rule_id = $1)
      GROUP BY a.id`,
    params,
  );
  return result.rows;
}

/** The alerts saving the entry closes: fully matched and not closed, plus the source alert if open. */
async function pickAlertsToClose(
  client: pg.Pool | pg.ClientBase,
  rows: Awaited<ReturnType<typeof readAlertMatches>>,
  sourceAlertId: string | undefined,
) {
  const ids = new Set(rows.filter((row) => row.status !== 'closed' && row.matched === row.events).map((row) => row.id));
  if (sourceAlertId) {
    const source = await client.query(`SELECT id FROM alerts WHERE id = $1 AND status <> 'closed'`, [sourceAlertId]);
    if (source.rows[0]) ids.add(sourceAlertId);
  }
  return ids;
}

/** The ids saving this entry would close as false positive. */
export async function findAlertsToClose(client: pg.ClientBase, scope: AllowlistScope): Promise<string[]> {
  return [...(await pickAlertsToClose(client, await readAlertMatches(client, scope), scope.sourceAlertId))];
}

export async function previewAllowlistImpact(
  client: pg.Pool | pg.ClientBase,
  scope: AllowlistScope,
): Promise<AllowlistImpact> {
  const params: unknown[] = [];
  const matches = buildConditionsSql(scope.conditions, 'e', params);
  const [rows, stored] = await Promise.all([
    readAlertMatches(client, scope),
    client.query<{ count: string }>(`SELECT count(*) AS count FROM audit_events e WHERE ${matches}`, params),
  ]);
  const fullyMatched = rows.filter((row) => row.matched === row.events);
  const toClose = await pickAlertsToClose(client, rows, scope.sourceAlertId);
  return {
    evidenceEvents: rows.reduce((total, row) => total + Number(row.matched), 0),
    storedEvents: Number(stored.rows[0]!.count),
    alerts: fullyMatched.length,
    alertsToClose: toClose.size,
    sample: rows
      .filter((row) => toClose.has(row.id))
      .slice(0, 20)
      .map((row) => ({
        id: row.id,
        ruleId: row.rule_id,
        cluster: row.cluster,
        ruleName: row.rule_name,
        username: row.username,
        sourceIp: row.source_ip,
        status: row.status,
      })),
  };
}
