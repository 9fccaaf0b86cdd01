import type pg from 'pg';
import { compileAllowlist, type CompiledEntry } from './match-allowlist';
import type { AllowlistCondition } from './schemas';

/** The enabled, unexpired entries, compiled for the matcher. */
export async function readActiveAllowlist(client: pg.Pool | pg.ClientBase, now: Date): Promise<CompiledEntry[]> {
  const result = await client.query<{ id: string; rule_id: string | null; conditions: AllowlistCondition[] }>(
    `SELECT id, rule_id, conditions FROM allowlist_entries WHERE enabled AND (expires_at IS NULL OR expires_at > $1)`,
    [now],
  );
  return compileAllowlist(result.rows.map((row) => ({ id: row.id, ruleId: row.rule_id, conditions: row.conditions })));
}
