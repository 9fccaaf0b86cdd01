'use server';

import { revalidatePath } from 'next/cache';
import { AppError } from '@/lib/app-error';
import { actorName, actorUserId } from '@/lib/auth/actor';
import { requireActionActor } from '@/lib/auth/require-actor';
import { getPool } from '@/lib/db/pool';
import { getEnv } from '@/lib/env';
import { formatFirstIssue } from '@/lib/format-first-issue';
import { changeRetention, describeRetentionImpact, type RetentionImpact } from '@/lib/storage/change-retention';
import { retentionChangeSchema } from '@/lib/storage/schemas';

/** What was sent, so the form shows it again (React resets a form after its action). */
type Sent = { scope: string; days: string };

export type RetentionState =
  | ({ ok: true; message: string } & Sent)
  | ({ ok: false; message: string } & Sent)
  | ({ ok: false; confirm: true; message: string; impact: RetentionImpact } & Sent)
  | null;

/** Sets or removes a retention period; one that makes stored events due for dropping asks to be confirmed first. */
export async function saveRetentionAction(_previous: RetentionState, form: FormData): Promise<RetentionState> {
  const actor = await requireActionActor('admin');
  const days = String(form.get('days') ?? '').trim();
  const sent = { scope: String(form.get('scope') ?? '*').trim() || '*', days };
  const change = retentionChangeSchema.safeParse({
    scope: sent.scope,
    days: days === '' ? null : Number(days),
    confirm: form.get('confirm') === 'yes',
  });
  if (!change.success) return { ok: false, message: formatFirstIssue(change.error), ...sent };
  try {
    await changeRetention(
      getPool(),
      change.data,
      { id: actorUserId(actor), name: actorName(actor) },
      getEnv().VIGIL_RETENTION_DAYS,
    );
  } catch (error) {
    if (error instanceof AppError && error.code === 'conflict') {
      const impact = (error.details as { impact: RetentionImpact }).impact;
      return { ok: false, confirm: true, message: `Confirm: ${describeRetentionImpact(impact)}.`, impact, ...sent };
    }
    throw error;
  }
  revalidatePath('/settings/data');
  const scope = change.data.scope === '*' ? 'every cluster' : change.data.scope;
  return {
    ok: true,
    ...sent,
    message:
      change.data.days === null
        ? `Saved: ${scope} ${change.data.scope === '*' ? 'keeps raw events until a period is set' : 'follows the period for every cluster'}.`
        : `Saved: ${scope} keeps raw events for ${change.data.days} day(s).`,
  };
}
