'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { refusal } from '@/app/_lib/action-refusal';
import { changeAlert, changeAlerts } from '@/lib/alerts/change-alerts';
import { narrowToGroup } from '@/lib/alerts/list-alerts';
import { alertChangeSchema, alertGroupChangeSchema, bulkAlertChangeSchema } from '@/lib/alerts/schemas';
import { createAllowlistEntry } from '@/lib/allowlist/create-allowlist-entry';
import { previewAllowlistImpact, type AllowlistImpact } from '@/lib/allowlist/preview-allowlist-impact';
import { allowlistEntryInputSchema, allowlistPreviewSchema } from '@/lib/allowlist/schemas';
import { activityActor } from '@/lib/auth/actor';
import { requireActionActor } from '@/lib/auth/require-actor';
import { getPool } from '@/lib/db/pool';
import { formatFirstIssue } from '@/lib/format-first-issue';

export type ActionResult = { ok: true; message: string } | { ok: false; message: string };

function describeChange(result: { matched: number; changed: number; missing: string[] }) {
  const parts = [`Updated ${result.changed} of ${result.matched} alert(s).`];
  if (result.missing.length) parts.push(`${result.missing.length} no longer exist.`);
  return parts.join(' ');
}

/** One triage change for the selected alerts, a page, or everything the queue's filter matches. */
export async function changeAlertsAction(input: unknown): Promise<ActionResult> {
  const actor = await requireActionActor('triage');
  const body = bulkAlertChangeSchema.safeParse(input);
  if (!body.success) return { ok: false, message: formatFirstIssue(body.error) };
  const target = body.data.ids ? { ids: body.data.ids } : { filter: body.data.filter! };
  try {
    const result = await changeAlerts(getPool(), target, body.data.change, activityActor(actor), {
      confirmed: body.data.confirm === true,
    });
    revalidatePath('/alerts', 'layout');
    return { ok: true, message: describeChange(result) };
  } catch (error) {
    return refusal(error);
  }
}

/** One triage change for every alert of the groups ticked in the grouped queue. */
export async function changeAlertGroupsAction(input: unknown): Promise<ActionResult> {
  const actor = await requireActionActor('triage');
  const body = alertGroupChangeSchema.safeParse(input);
  if (!body.success) return { ok: false, message: formatFirstIssue(body.error) };
  const { filter, group, keys } = body.data;
  try {
    const result = await changeAlerts(
      getPool(),
      { anyOf: keys.map((key) => narrowToGroup(filter, group, key)) },
      body.data.change,
      activityActor(actor),
      { confirmed: body.data.confirm === true },
    );
    revalidatePath('/alerts', 'layout');
    return { ok: true, message: describeChange(result) };
  } catch (error) {
    return refusal(error);
  }
}

/** A change to one alert from its page: status, reason, assignee or a note. */
export async function changeAlertAction(alertId: unknown, change: unknown): Promise<ActionResult> {
  const actor = await requireActionActor('triage');
  const id = z.uuid().safeParse(alertId);
  const parsed = alertChangeSchema.safeParse(change);
  if (!id.success) return { ok: false, message: 'no such alert' };
  if (!parsed.success) return { ok: false, message: formatFirstIssue(parsed.error) };
  try {
    const result = await changeAlert(getPool(), id.data, parsed.data, activityActor(actor));
    revalidatePath('/alerts', 'layout');
    return { ok: true, message: result.changed ? 'Saved.' : 'Nothing changed.' };
  } catch (error) {
    return refusal(error);
  }
}

export type PreviewResult = { ok: true; impact: AllowlistImpact } | { ok: false; message: string };

/** What a false-positive allowlist entry would match and close; writes nothing. */
export async function previewAllowlistAction(input: unknown): Promise<PreviewResult> {
  await requireActionActor('triage');
  const scope = allowlistPreviewSchema.safeParse(input);
  if (!scope.success) return { ok: false, message: formatFirstIssue(scope.error) };
  return { ok: true, impact: await previewAllowlistImpact(getPool(), scope.data) };
}

/** Saves the allowlist entry and closes the alert and every open alert it explains as false positive. */
export async function closeAsFalsePositiveAction(input: unknown): Promise<ActionResult> {
  const actor = await requireActionActor('triage');
  const entry = allowlistEntryInputSchema.safeParse(input);
  if (!entry.success) return { ok: false, message: formatFirstIssue(entry.error) };
  try {
    const created = await createAllowlistEntry(getPool(), entry.data, activityActor(actor));
    revalidatePath('/alerts', 'layout');
    revalidatePath('/allowlist');
    return {
      ok: true,
      message: `Allowlist entry saved; ${created.closedAlerts} alert(s) closed as false positive.`,
    };
  } catch (error) {
    return refusal(error);
  }
}
