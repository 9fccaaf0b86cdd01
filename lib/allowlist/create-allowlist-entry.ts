// Saving an allowlist entry: the entry, and — in the same transaction — every open alert it
// fully explains closed as false positive, each with a history row naming the entry.
import type pg from 'pg';
import { applyAlertChange, type TriageActor } from '../alerts/change-alerts';
import { withTransaction } from '../db/with-transaction';
import { formatAllowlistClosureNote } from './allowlist-closure-note';
import { readAllowlistEntry, type AllowlistEntryView } from './list-allowlist';
import { findAlertsToClose } from './preview-allowlist-impact';
import type { AllowlistEntryInput } from './schemas';
import { AppError } from '../app-error';

export type CreatedAllowlistEntry = { entry: AllowlistEntryView; closedAlerts: number };

export async function assertRuleExists(client: pg.ClientBase, ruleId: string | null | undefined) {
  if (!ruleId) return;
  const rule = await client.query(`SELECT 1 FROM rules WHERE id = $1`, [ruleId]);
  if (!rule.rows[0]) throw new AppError('invalid', `no rule "${ruleId}"`);
}

export async function createAllowlistEntry(
  pool: pg.Pool,
  input: AllowlistEntryInput,
  actor: TriageActor,
): Promise<CreatedAllowlistEntry> {
  if (input.expiresAt && new Date(input.expiresAt) <= new Date())
    throw new AppError('invalid', 'expiresAt: must be in the future');
  return withTransaction(pool, async (client) => {
    await assertRuleExists(client, input.ruleId);
    if (input.sourceAlertId) {
      const alert = await client.query(`SELECT 1 FROM alerts WHERE id = $1`, [input.sourceAlertId]);
      if (!alert.rows[0]) throw new AppError('invalid', 'sourceAlertId: no such alert');
    }
    const inserted = await client.query<{ id: string }>(
      `INSERT INTO allowlist_entries (id, rule_id, conditions, reason, enabled, author_id, author_name, source_alert_id,
          expires_at, updated_at)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, now()) RETURNING id`,
      [
        input.ruleId,
        JSON.stringify(input.conditions),
        input.reason,
        input.enabled ?? true,
        actor.id,
        actor.name,
        input.sourceAlertId ?? null,
        input.expiresAt ?? null,
      ],
    );
    const id = inserted.rows[0]!.id;
    let closedAlerts = 0;
    if (input.enabled ?? true) {
      const ids = await findAlertsToClose(client, input);
      if (ids.length) {
        const closed = await applyAlertChange(
          client,
          { ids },
          { status: 'closed', closeReason: 'false_positive', note: formatAllowlistClosureNote(id, input.reason) },
          actor,
        );
        closedAlerts = closed.changed;
      }
    }
    return { entry: (await readAllowlistEntry(client, id))!, closedAlerts };
  });
}
