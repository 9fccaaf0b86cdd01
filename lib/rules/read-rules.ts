// The rule catalog as REST reads it: each rule's settings (enabled, parameters against their defaults,
// version), its alert counts and its last run; one rule adds its guide and recent setting changes.
import type { Db } from '../db/client';
import { getRuleDefinition } from '../detections/registry';
import { listRuleHealth, type RuleHealth } from './list-rule-health';
import { listRuleChanges } from './update-rule-settings';
import { readRuleGuide } from './read-rule-guide';

export type RuleView = {
  id: string;
  name: string;
  description: string;
  severity: string;
  riskScore: number;
  mitre: unknown;
  upstream: { source: string; reference: string; version: string } | null;
  enabled: boolean;
  parameters: Record<string, unknown>;
  defaultParameters: Record<string, unknown>;
  version: number;
  updatedAt: string;
  alerts: { open: number; acknowledged: number; total: number };
  runs: number;
  lastRun: RuleHealth['lastRun'];
};

export async function listRuleViews(db: Db): Promise<RuleView[]> {
  const [rules, health] = await Promise.all([db.rule.findMany({ orderBy: { createdAt: 'asc' } }), listRuleHealth(db)]);
  return rules.map((rule) => {
    const stats = health.find((entry) => entry.ruleId === rule.id);
    return {
      id: rule.id,
      name: rule.name,
      description: rule.description,
      severity: rule.severity,
      riskScore: rule.riskScore,
      mitre: rule.mitre,
      upstream: getRuleDefinition(rule.id)?.upstream ?? null,
      enabled: rule.enabled,
      parameters: rule.parameters as Record<string, unknown>,
      defaultParameters: rule.defaultParameters as Record<string, unknown>,
      version: rule.version,
      updatedAt: rule.updatedAt.toISOString(),
      alerts: {
        open: stats?.openAlerts ?? 0,
        acknowledged: stats?.acknowledgedAlerts ?? 0,
        total: stats?.totalAlerts ?? 0,
      },
      runs: stats?.runs ?? 0,
      lastRun: stats?.lastRun ?? null,
    };
  });
}

export async function readRuleView(db: Db, id: string) {
  const rule = (await listRuleViews(db)).find((candidate) => candidate.id === id);
  if (!rule) return null;
  const [guide, changes] = await Promise.all([readRuleGuide(id), listRuleChanges(db, id)]);
  return {
    ...rule,
    guide,
    changes: changes.map((change) => ({
      field: change.field,
      from: change.fromValue,
      to: change.toValue,
      by: change.actorName,
      at: change.createdAt.toISOString(),
    })),
  };
}
