// GET /api/v1/rules/:id – one rule with its guide and setting changes; PATCH – switch it on or off, tune its parameters (each change recorded)
import { z } from 'zod';
import { AppError } from '@/lib/app-error';
import { readRuleView } from '@/lib/rules/read-rules';
import { actorName, actorUserId } from '@/lib/auth/actor';
import { getDb } from '@/lib/db/client';
import { ruleSettingsSchema } from '@/lib/rules/schemas';
import { updateRuleSettings } from '@/lib/rules/update-rule-settings';
import { route } from '../../../_lib/route';

export const dynamic = 'force-dynamic';

export const GET = route(
  { access: { permission: 'read' }, params: z.object({ id: z.string() }) },
  async ({ params }) => {
    const rule = await readRuleView(getDb(), params.id);
    if (!rule) throw new AppError('not-found', `no rule "${params.id}"`);
    return rule;
  },
);

export const PATCH = route(
  { access: { permission: 'admin' }, params: z.object({ id: z.string() }), body: ruleSettingsSchema },
  async ({ params, body, actor }) => {
    const { rule, changes } = await updateRuleSettings(getDb(), params.id, body, {
      id: actorUserId(actor),
      name: actorName(actor),
    });
    return { id: rule.id, enabled: rule.enabled, parameters: rule.parameters, version: rule.version, changes };
  },
);
