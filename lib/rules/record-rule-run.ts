import type pg from 'pg';

export type RuleRunRecord = {
  ruleId: string;
  from: Date;
  to: Date;
  durationMs: number;
  eventsScanned: number;
  alertsCreated: number;
  alertsUpdated: number;
};

/** One execution of a rule, as the Rules and Jobs pages report it; inside the caller's transaction. */
export async function recordRuleRun(client: pg.ClientBase, run: RuleRunRecord) {
  await client.query(
    `INSERT INTO rule_runs (rule_id, range_from, range_to, started_at, finished_at, events_scanned, alerts_created, alerts_updated)
     VALUES ($1, $2, $3, now() - make_interval(secs => $4::double precision / 1000), now(), $5, $6, $7)`,
    [run.ruleId, run.from, run.to, run.durationMs, run.eventsScanned, run.alertsCreated, run.alertsUpdated],
  );
}

/** The rule's detection state was rebuilt with its settings at `version`. */
export async function recordRuleRebuilt(client: pg.ClientBase, ruleId: string, version: number) {
  await client.query(`UPDATE rules SET detected_version = $2 WHERE id = $1`, [ruleId, version]);
}
