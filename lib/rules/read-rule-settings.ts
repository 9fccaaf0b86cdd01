import type pg from 'pg';
import { AppError } from '../app-error';
import { ruleDefinitions } from '../detections/registry';
import type { AnyRuleDefinition } from '../detections/types';

export type RuleSettings = {
  rule: AnyRuleDefinition;
  enabled: boolean;
  params: Record<string, number>;
  /** Bumped by every settings change (null: not stored yet). */
  version: number | null;
  /** The version the detection state was last rebuilt with. */
  detectedVersion: number | null;
};

/** Every rule Vigil ships, with what the database says of it (a rule not yet stored runs on its defaults). */
export async function readRuleSettings(client: pg.ClientBase): Promise<RuleSettings[]> {
  const result = await client.query<{
    id: string;
    enabled: boolean;
    parameters: Record<string, unknown>;
    version: number;
    detected_version: number | null;
  }>(`SELECT id, enabled, parameters, version, detected_version FROM rules`);
  const rows = new Map(result.rows.map((row) => [row.id, row]));
  return ruleDefinitions.map((rule) => {
    const stored = rows.get(rule.id);
    const parsed = rule.parametersSchema.safeParse({ ...rule.defaultParameters, ...(stored?.parameters ?? {}) });
    if (!parsed.success)
      throw new AppError('invalid', `rule ${rule.id} has invalid parameters: ${parsed.error.issues[0]?.message}`);
    return {
      rule,
      enabled: stored?.enabled ?? true,
      params: parsed.data,
      version: stored?.version ?? null,
      detectedVersion: stored?.detected_version ?? null,
    };
  });
}
