import type pg from 'pg';

/** An alert window already persisted, so a re-run or a late event lands in it instead of opening a new one. */
export type AlertWindow = { groupKey: string; windowStart: Date; windowEnd: Date };

/** A rule's alert windows that touch [from, to]. */
export async function listAlertWindows(
  client: pg.ClientBase,
  ruleId: string,
  from: Date,
  to: Date,
): Promise<AlertWindow[]> {
  const result = await client.query<{ group_key: string; window_start: Date; window_end: Date }>(
    `SELECT group_key, window_start, window_end FROM alerts WHERE rule_id = $1 AND window_end >= $2 AND window_start <= $3`,
    [ruleId, from, to],
  );
  return result.rows.map((row) => ({
    groupKey: row.group_key,
    windowStart: row.window_start,
    windowEnd: row.window_end,
  }));
}
