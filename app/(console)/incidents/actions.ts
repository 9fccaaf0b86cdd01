'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { refusal } from '@/app/_lib/action-refusal';
import { activityActor } from '@/lib/auth/actor';
import { requireActionActor } from '@/lib/auth/require-actor';
import { getPool } from '@/lib/db/pool';
import { formatFirstIssue } from '@/lib/format-first-issue';
import { changeIncident, changeIncidentsStatus } from '@/lib/incidents/change-incident';
import { incidentChangeSchema, incidentCloseReasons, incidentStatuses } from '@/lib/incidents/schemas';

export type ActionResult = { ok: true; message: string } | { ok: false; message: string };

const bulkSchema = z
  .strictObject({
    ids: z.array(z.uuid()).min(1, 'select at least one incident').max(500),
    status: z.enum(incidentStatuses),
    closeReason: z.enum(incidentCloseReasons).optional(),
    closeMembers: z.boolean().optional(),
  })
  .refine((change) => change.status !== 'closed' || change.closeReason !== undefined, {
    message: 'closing an incident needs a close reason',
    path: ['closeReason'],
  });

/** One change to one incident from its page: status (and its members), assignee, note, merge, removal. */
export async function changeIncidentAction(incidentId: unknown, change: unknown): Promise<ActionResult> {
  const actor = await requireActionActor('triage');
  const id = z.uuid().safeParse(incidentId);
  const parsed = incidentChangeSchema.safeParse(change);
  if (!id.success) return { ok: false, message: 'no such incident' };
  if (!parsed.success) return { ok: false, message: formatFirstIssue(parsed.error) };
  try {
    const result = await changeIncident(getPool(), id.data, parsed.data, activityActor(actor));
    revalidatePath('/incidents', 'layout');
    revalidatePath('/alerts', 'layout');
    if (!result.changed) return { ok: true, message: 'Nothing changed.' };
    return {
      ok: true,
      message: result.alertsClosed ? `Saved; closed ${result.alertsClosed} open alert(s).` : 'Saved.',
    };
  } catch (error) {
    return refusal(error);
  }
}

/** The queue's bulk status change over the ticked incidents. */
export async function changeIncidentsAction(input: unknown): Promise<ActionResult> {
  const actor = await requireActionActor('triage');
  const parsed = bulkSchema.safeParse(input);
  if (!parsed.success) return { ok: false, message: formatFirstIssue(parsed.error) };
  const { ids, ...change } = parsed.data;
  try {
    const result = await changeIncidentsStatus(getPool(), ids, change, activityActor(actor));
    revalidatePath('/incidents', 'layout');
    return { ok: true, message: `Updated ${result.changed} of ${ids.length} incident(s).` };
  } catch (error) {
    return refusal(error);
  }
}
