import type pg from 'pg';
import { withTransaction } from '../db/with-transaction';
import { assertRuleExists } from './create-allowlist-entry';
import { readAllowlistEntry, type AllowlistEntryView } from './list-allowlist';
import type { AllowlistEntryPatch } from './schemas';
import { AppError } from '../app-error';

/** Edits an entry's scope, conditions, reason, expiry or enabled flag; the next detection run uses it. */
export async function updateAllowlistEntry(
  pool: pg.Pool,
  id: string,
  patch: AllowlistEntryPatch,
): Promise<AllowlistEntryView> {
  return withTransaction(pool, async (client) => {
    await assertRuleExists(client, patch.ruleId);
    const sets: string[] = [];
    const params: unknown[] = [id];
    const set = (column: string, value: unknown) => {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    };
    if (patch.ruleId !== undefined) set('rule_id', patch.ruleId);
    if (patch.conditions !== undefined) set('conditions', JSON.stringify(patch.conditions));
    if (patch.reason !== undefined) set('reason', patch.reason);
    if (patch.expiresAt !== undefined) set('expires_at', patch.expiresAt);
    if (patch.enabled !== undefined) set('enabled', patch.enabled);
    const updated = await client.query(
      `UPDATE allowlist_entries SET ${sets.join(', ')}, updated_at = now() WHERE id = $1 RETURNING id`,
      params,
    );
    if (!updated.rows[0]) throw new AppError('not-found', 'no such allowlist entry');
    return (await readAllowlistEntry(client, id))!;
  });
}

/** Deletes an entry; alerts it closed stay closed, with their history. */
export async function deleteAllowlistEntry(pool: pg.Pool, id: string): Promise<void> {
  const deleted = await pool.query(`DELETE FROM allowlist_entries WHERE id = $1`, [id]);
  if (deleted.rowCount === 0) throw new AppError('not-found', 'no such allowlist entry');
}
