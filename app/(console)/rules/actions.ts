'use server';

import { revalidatePath } from 'next/cache';
import { requireActionActor } from '@/lib/auth/require-actor';
import { getDb } from '@/lib/db/client';
import { getPool } from '@/lib/db/pool';
import { runDetection } from '@/lib/engine/run-detection';
import { getRuleDefinition } from '@/lib/detections/registry';
import { previewRangeSchema } from '@/lib/rules/schemas';
import { formatFirstIssue } from '@/lib/format-first-issue';
import { readGroupKeyFields } from '@/lib/detections/build-alert-candidate';
import { TIME_RANGE_LABELS } from '@/lib/time-range';
import { refusal } from '@/app/_lib/action-refusal';
import { readUtcTime } from '@/lib/search-params';
import { updateRuleSettings } from '@/lib/rules/update-rule-settings';

export type SettingsState = { ok: boolean; message: string } | null;
export type PreviewState =
  | {
      ok: true;
      scanned: number;
      allowlisted: number;
      alerts: {
        groupKey: string;
        groupFields: { name: string; value: string | null }[];
        severity: string;
        firstEventAt: string;
        events: number;
      }[];
      range: { from: string; to: string };
    }
  | { ok: false; message: string; range: { from: string; to: string } }
  | null;

export async function saveRuleSettings(
  ruleId: string,
  _previous: SettingsState,
  form: FormData,
): Promise<SettingsState> {
  const actor = await requireActionActor('admin');
  const definition = getRuleDefinition(ruleId);
  if (!definition) return { ok: false, message: 'unknown rule' };
  const parameters: Record<string, number> = {};
  for (const name of Object.keys(definition.defaultParameters)) {
    const raw = form.get(name);
    const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
    if (!Number.isFinite(value)) return { ok: false, message: `${name}: must be a number` };
    parameters[name] = value;
  }
  try {
    const { changes } = await updateRuleSettings(
      getDb(),
      ruleId,
      { enabled: form.get('enabled') === 'on', parameters },
      { id: actor.id, name: actor.email },
    );
    revalidatePath('/rules');
    return { ok: true, message: changes === 0 ? 'Nothing changed.' : `Saved ${changes} change(s).` };
  } catch (error) {
    return refusal(error);
  }
}

export async function previewRuleAction(
  ruleId: string,
  _previous: PreviewState,
  form: FormData,
): Promise<PreviewState> {
  await requireActionActor('triage');
  // What was typed comes back with the answer: React resets the form to it, not to the page's default.
  const typed = { from: String(form.get('from') ?? ''), to: String(form.get('to') ?? '') };
  if (!getRuleDefinition(ruleId)) return { ok: false, message: 'unknown rule', range: typed };
  const toIso = (value: string) => readUtcTime(value) ?? '';
  const range = previewRangeSchema.safeParse({ from: toIso(typed.from), to: toIso(typed.to) });
  if (!range.success)
    return { ok: false, message: `${formatFirstIssue(range.error, TIME_RANGE_LABELS)}.`, range: typed };
  const result = await runDetection(getPool(), {
    from: new Date(range.data.from),
    to: new Date(range.data.to),
    ruleIds: [ruleId],
    dryRun: true,
  });
  const outcome = result.rules[0]!;
  return {
    ok: true,
    range: typed,
    scanned: outcome.eventsScanned,
    allowlisted: outcome.allowlisted,
    alerts: outcome.alerts.map((alert) => ({
      groupKey: alert.groupKey,
      groupFields: readGroupKeyFields(alert.groupKey),
      severity: alert.severity,
      firstEventAt: alert.firstEventAt.toISOString(),
      events: alert.auditEventIds.length + alert.fileEventIds.length,
    })),
  };
}
