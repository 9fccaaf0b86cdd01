import { describe, expect, it } from 'vitest';
import { sortByTime } from '../../../lib/detections/build-alert-candidate';
import { getRuleDefinition, ruleDefinitions } from '../../../lib/detections/registry';
import { vectors as rapidSecretGets } from '../../../lib/detections/rules/rapid-secret-get-multiple-objects/vectors';
import { vectors as tokenAccessThenApi } from '../../../lib/detections/rules/sa-token-access-then-api-request/vectors';
import { vectors as secretEnumeration } from '../../../lib/detections/rules/secret-enumeration-by-user/vectors';
import { vectors as nodeOrPodSecretRead } from '../../../lib/detections/rules/secret-read-by-node-or-pod-sa/vectors';
import type { AnyRuleDefinition, RuleVector } from '../../../lib/detections/types';

const vectorsByRule: Record<string, RuleVector<Record<string, number>>[]> = {
  'secret-read-by-node-or-pod-sa': nodeOrPodSecretRead,
  'rapid-secret-get-multiple-objects': rapidSecretGets,
  'secret-enumeration-by-user': secretEnumeration,
  'sa-token-access-then-api-request': tokenAccessThenApi,
};

/** What the engine does: validate the tuning, filter with matches, sort by time, evaluate. */
function runVector(rule: AnyRuleDefinition, vector: RuleVector<Record<string, number>>) {
  const params = rule.parametersSchema.parse({ ...rule.defaultParameters, ...vector.params });
  const matched = sortByTime(vector.events.filter((event) => rule.matches(event, params)));
  const alerts = rule.evaluate({
    events: matched,
    fileEvents: vector.fileEvents,
    params,
    priorWindows: vector.priorWindows,
  });
  return { matched, alerts };
}

describe.each(ruleDefinitions.map((rule) => [rule.id, rule] as const))('%s vectors', (id, rule) => {
  const vectors = vectorsByRule[id] ?? [];

  it('has positive and negative vectors', () => {
    expect(vectors.filter((vector) => vector.expect.alerts > 0).length).toBeGreaterThanOrEqual(3);
    expect(vectors.filter((vector) => vector.expect.alerts === 0).length).toBeGreaterThanOrEqual(3);
    expect(new Set(vectors.map((vector) => vector.name)).size).toBe(vectors.length);
  });

  it.each(vectors.map((vector) => [vector.name, vector] as const))('%s', (_name, vector) => {
    const { matched, alerts } = runVector(rule, vector);
    const { expect: expected } = vector;
    expect(alerts).toHaveLength(expected.alerts);
    if (expected.matched !== undefined) expect(matched).toHaveLength(expected.matched);
    if (expected.auditEventIds) expect(alerts.map((alert) => alert.auditEventIds)).toEqual(expected.auditEventIds);
    if (expected.fileEventIds) expect(alerts.map((alert) => alert.fileEventIds)).toEqual(expected.fileEventIds);
    if (expected.severities) expect(alerts.map((alert) => alert.severity)).toEqual(expected.severities);
    if (expected.windowStarts) {
      expect(alerts.map((alert) => alert.windowStart.toISOString())).toEqual(expected.windowStarts);
    }
    if (expected.details) expect(alerts.map((alert) => alert.details)).toMatchObject(expected.details);
    for (const alert of alerts) {
      expect(alert.ruleId).toBe(id);
      expect(alert.identity).toMatch(/^[0-9a-f]{64}$/);
      expect(alert.firstEventAt.getTime()).toBeLessThanOrEqual(alert.lastEventAt.getTime());
      expect(alert.windowStart.getTime()).toBeLessThanOrEqual(alert.windowEnd.getTime());
      expect(alert.auditEventIds.length).toBeGreaterThan(0);
    }
    expect(new Set(alerts.map((alert) => alert.identity)).size).toBe(alerts.length);
  });

  it('is deterministic: the same events give the same identities, in any input order', () => {
    for (const vector of vectors) {
      const first = runVector(rule, vector).alerts.map((alert) => alert.identity);
      const reversed = runVector(rule, {
        ...vector,
        events: [...vector.events].reverse(),
        fileEvents: vector.fileEvents && [...vector.fileEvents].reverse(),
      }).alerts.map((alert) => alert.identity);
      expect(reversed.sort()).toEqual([...first].sort());
    }
  });

  it('is found by id', () => {
    expect(getRuleDefinition(id)).toBe(rule);
  });
});

describe('getRuleDefinition', () => {
  it('returns undefined for an unknown rule', () => {
    expect(getRuleDefinition('no-such-rule')).toBeUndefined();
  });
});
