import type { Db } from '../db/client';
import type { MitreEntry } from '../vocabulary/mitre';
import type { Severity } from '../vocabulary/severity';

export type RuleSummary = {
  id: string;
  name: string;
  description: string;
  severity: Severity;
  riskScore: number;
  enabled: boolean;
  mitre: MitreEntry[];
  parameters: Record<string, unknown>;
};

export async function listRules(db: Db): Promise<RuleSummary[]> {
  const rules = await db.rule.findMany({ orderBy: { createdAt: 'asc' } });
  return rules.map((rule) => ({
    id: rule.id,
    name: rule.name,
    description: rule.description,
    severity: rule.severity,
    riskScore: rule.riskScore,
    enabled: rule.enabled,
    mitre: rule.mitre as MitreEntry[],
    parameters: rule.parameters as Record<string, unknown>,
  }));
}
