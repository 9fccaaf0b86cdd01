'use server';

import { z } from 'zod';
import { refusal } from '@/app/_lib/action-refusal';
import { requireActionActor } from '@/lib/auth/require-actor';
import { getPool } from '@/lib/db/pool';
import { formatFirstIssue } from '@/lib/format-first-issue';
import { createSavedView, deleteSavedView, updateSavedView } from '@/lib/saved-views/change-saved-views';
import { viewViewerOf } from '@/lib/saved-views/list-saved-views';
import { savedViewInputSchema, savedViewPatchSchema } from '@/lib/saved-views/schemas';

type ViewResult = { ok: boolean; message: string };

/** Saves the queue's current params under a name, private or shared with the team. */
export async function saveViewAction(input: unknown): Promise<ViewResult> {
  const actor = await requireActionActor('read');
  const view = savedViewInputSchema.safeParse(input);
  if (!view.success) return { ok: false, message: formatFirstIssue(view.error) };
  try {
    const saved = await createSavedView(getPool(), viewViewerOf(actor), view.data);
    return { ok: true, message: `Saved the view “${saved.name}”${saved.shared ? ', shared with the team' : ''}.` };
  } catch (error) {
    return refusal(error);
  }
}

/** Renames a view or changes its sharing (its owner, or an admin). */
export async function updateViewAction(id: unknown, patch: unknown): Promise<ViewResult> {
  const actor = await requireActionActor('read');
  const viewId = z.uuid().safeParse(id);
  const parsed = savedViewPatchSchema.safeParse(patch);
  if (!viewId.success) return { ok: false, message: 'no such view' };
  if (!parsed.success) return { ok: false, message: formatFirstIssue(parsed.error) };
  try {
    const saved = await updateSavedView(getPool(), viewId.data, viewViewerOf(actor), parsed.data);
    return { ok: true, message: `Saved “${saved.name}”.` };
  } catch (error) {
    return refusal(error);
  }
}

export async function deleteViewAction(id: unknown): Promise<ViewResult> {
  const actor = await requireActionActor('read');
  const viewId = z.uuid().safeParse(id);
  if (!viewId.success) return { ok: false, message: 'no such view' };
  try {
    await deleteSavedView(getPool(), viewId.data, viewViewerOf(actor));
    return { ok: true, message: 'View deleted.' };
  } catch (error) {
    return refusal(error);
  }
}
