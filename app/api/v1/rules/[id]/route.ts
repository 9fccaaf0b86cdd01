// PATCH /api/v1/rules/:id – switch a rule on or off, tune its parameters (each change recorded)
import { NextResponse } from 'next/server';
import { actorName, actorUserId } from '@/lib/auth/actor';
import { authorizeRequest } from '@/lib/auth/authorize-request';
import { getDb } from '@/lib/db/client';
import { jsonError } from '@/lib/http/responses';
import { ruleSettingsSchema } from '@/lib/rules/schemas';
import { formatFirstIssue } from '@/lib/format-first-issue';
import { RuleSettingsError, updateRuleSettings } from '@/lib/rules/update-rule-settings';
import { readJsonBody } from '@/lib/http/read-json-body';

export const dynamic = 'force-dynamic';

export async function PATCH(request: Request, context: { params: Promise<{ id: string }> }) {
  const auth = await authorizeRequest(request, { permission: 'admin' });
  if (!auth.ok) return auth.response;
  const { id } = await context.params;
  const json = await readJsonBody(request);
  if (!json.ok) return json.response;
  const body = ruleSettingsSchema.safeParse(json.value);
  if (!body.success) return jsonError(400, formatFirstIssue(body.error));
  try {
    const { rule, changes } = await updateRuleSettings(getDb(), id, body.data, {
      id: actorUserId(auth.actor),
      name: actorName(auth.actor),
    });
    return NextResponse.json({
      id: rule.id,
      enabled: rule.enabled,
      parameters: rule.parameters,
      version: rule.version,
      changes,
    });
  } catch (error) {
    if (error instanceof RuleSettingsError) return jsonError(error.status, error.message);
    throw error;
  }
}
