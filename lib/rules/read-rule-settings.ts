import type pg from 'pg';
import { AppError } from '../app-error';
import { ruleDefinitions } from '../detections/registry';
import type { AnyRuleDefinition } from '../detections/types';

export type RuleSettings = { rule: AnyRuleDefinition; enabled: boolean; params: Record<string, number> };

/** Every rule Vigil ships, with what the database says of it (a rule not yet stored runs on its defaults). */
export async function readRuleSettings(client: pg.ClientBase): Promise<RuleSettings[]> {
  const result = await client.query<{ id: string; enabled: boolean; parameters: Record<string, unknown> }>(
    `SELECT id, enabled, parameters FROM rules`,
  );
  const rows = new Map(result.rows.map((row) => [row.id, row]));
  return ruleDefinitions.map((rule) => {
    const stored = rows.get(rule.id);
    const parsed = rule.parametersSchema.safeParse({ ...rule.defaultParameters, ...(stored?.parameters ?? {}) });
    if (!parsed.success)
      throw new AppError('invalid', `rule ${rule.id} has invalid parameters: ${parsed.error.issues[0]?.message}`);
    return { rule, enabled: stored?.enabled ?? true, params: parsed.data };
  });
}
