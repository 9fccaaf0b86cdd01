import type pg from 'pg';

/** The group keys a rule's raised (not withdrawn) alerts carry: a rebuild withdraws the ones it no longer produces. */
export async function listAlertGroups(client: pg.ClientBase, ruleId: string): Promise<string[]> {
  const result = await client.query<{ group_key: string }>(
    `SELECT DISTINCT group_key FROM alerts WHERE rule_id = $1 AND withdrawn_at IS NULL`,
    [ruleId],
  );
  return result.rows.map((row) => row.group_key);
}
