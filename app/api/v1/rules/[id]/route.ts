// PATCH /api/v1/rules/:id – switch a rule on or off, tune its parameters (each change recorded)
import { NextResponse } from 'next/server';
import { getDb } from '@/lib/db/client';
import { jsonError } from '@/lib/http/responses';
import { ruleSettingsSchema } from '@/lib/rules/schemas';
import { formatFirstIssue } from '@/lib/format-first-issue';
import { RuleSettingsError, updateRuleSettings } from '@/lib/rules/update-rule-settings';

export async function PATCH(request: Request, context: { params: Promise<{ id: string }> }) {
  const { id } = await context.params;
  const body = ruleSettingsSchema.safeParse(await request.json().catch(() => null));
  if (!body.success) return jsonError(400, formatFirstIssue(body.error));
  try {
    // Accounts arrive with the authentication issue; until then changes are attributed to "api".
    const { rule, changes } = await updateRuleSettings(getDb(), id, body.data, { id: null, name: 'api' });
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
