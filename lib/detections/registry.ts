import { rule as rapidSecretGets } from './rules/rapid-secret-get-multiple-objects/rule';
import { rule as tokenAccessThenApi } from './rules/sa-token-access-then-api-request/rule';
import { rule as secretEnumeration } from './rules/secret-enumeration-by-user/rule';
import { rule as nodeOrPodSecretRead } from './rules/secret-read-by-node-or-pod-sa/rule';
import type { AnyRuleDefinition, RuleMetadata } from './types';

/** Every rule Vigil ships with its logic, in the order the Rules page lists them. */
export const ruleDefinitions: readonly AnyRuleDefinition[] = [
  nodeOrPodSecretRead,
  rapidSecretGets,
  secretEnumeration,
  tokenAccessThenApi,
];

/** The metadata alone, as the Rules page and the seed read it. */
export const ruleCatalog: readonly RuleMetadata[] = ruleDefinitions.map((definition) => ({
  id: definition.id,
  name: definition.name,
  description: definition.description,
  severity: definition.severity,
  riskScore: definition.riskScore,
  mitre: definition.mitre,
  upstream: definition.upstream,
  defaultParameters: { ...definition.defaultParameters },
}));

export function getRuleDefinition(id: string): AnyRuleDefinition | undefined {
  return ruleDefinitions.find((definition) => definition.id === id);
}
