'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { refusal } from '@/app/_lib/action-refusal';
import { createAllowlistEntry } from '@/lib/allowlist/create-allowlist-entry';
import { allowlistEntryInputSchema, allowlistEntryPatchSchema } from '@/lib/allowlist/schemas';
import { activityActor } from '@/lib/auth/actor';
import { deleteAllowlistEntry, updateAllowlistEntry } from '@/lib/allowlist/update-allowlist-entry';
import { requireActionActor } from '@/lib/auth/require-actor';
import { getPool } from '@/lib/db/pool';
import { formatFirstIssue } from '@/lib/format-first-issue';

export type EntryActionResult = { ok: boolean; message: string };

/** A new entry made on this page: validated as the false-positive form's, and closing what it explains. */
export async function createAllowlistEntryAction(input: unknown): Promise<EntryActionResult> {
  const actor = await requireActionActor('triage');
  const entry = allowlistEntryInputSchema.safeParse(input);
  if (!entry.success) return { ok: false, message: formatFirstIssue(entry.error) };
  try {
    const created = await createAllowlistEntry(getPool(), entry.data, activityActor(actor));
    revalidatePath('/allowlist');
    revalidatePath('/alerts', 'layout');
    return {
      ok: true,
      message: `Entry added; ${created.closedAlerts} open alert(s) it explains closed as false positive.`,
    };
  } catch (error) {
    return refusal(error);
  }
}

/** Edits an entry's reason, expiry, scope, conditions or enabled flag. */
export async function updateAllowlistEntryAction(entryId: unknown, patch: unknown): Promise<EntryActionResult> {
  await requireActionActor('triage');
  const id = z.uuid().safeParse(entryId);
  const parsed = allowlistEntryPatchSchema.safeParse(patch);
  if (!id.success) return { ok: false, message: 'no such allowlist entry' };
  if (!parsed.success) return { ok: false, message: formatFirstIssue(parsed.error) };
  try {
    await updateAllowlistEntry(getPool(), id.data, parsed.data);
    revalidatePath('/allowlist');
    return { ok: true, message: 'Saved.' };
  } catch (error) {
    return refusal(error);
  }
}

export async function deleteAllowlistEntryAction(entryId: unknown): Promise<EntryActionResult> {
  await requireActionActor('triage');
  const id = z.uuid().safeParse(entryId);
  if (!id.success) return { ok: false, message: 'no such allowlist entry' };
  try {
    await deleteAllowlistEntry(getPool(), id.data);
    revalidatePath('/allowlist');
    return { ok: true, message: 'Deleted.' };
  } catch (error) {
    return refusal(error);
  }
}
