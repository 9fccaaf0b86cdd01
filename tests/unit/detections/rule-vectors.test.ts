import { describe, expect, it } from 'vitest';
import { evaluateRule } from '../../../lib/detections/evaluate-rule';
import { getRuleDefinition, ruleDefinitions } from '../../../lib/detections/registry';
import { vectors as rapidSecretGets } from '../../../lib/detections/rules/rapid-secret-get-multiple-objects/vectors';
import { vectors as tokenAccessThenApi } from '../../../lib/detections/rules/sa-token-access-then-api-request/vectors';
import { vectors as secretEnumeration } from '../../../lib/detections/rules/secret-enumeration-by-user/vectors';
import { vectors as nodeOrPodSecretRead } from '../../../lib/detections/rules/secret-read-by-node-or-pod-sa/vectors';
import type { AlertCandidate, AnyRuleDefinition, RuleVector } from '../../../lib/detections/types';
import { createMemoryDetection, rangeOf } from '../../support/memory-detection';
import { seededRandom } from '../../support/random';

const vectorsByRule: Record<string, RuleVector<Record<string, number>>[]> = {
  'secret-read-by-node-or-pod-sa': nodeOrPodSecretRead,
  'rapid-secret-get-multiple-objects': rapidSecretGets,
  'secret-enumeration-by-user': secretEnumeration,
  'sa-token-access-then-api-request': tokenAccessThenApi,
};

type Vector = RuleVector<Record<string, number>>;

function paramsOf(rule: AnyRuleDefinition, vector: Vector) {
  return rule.parametersSchema.parse({ ...rule.defaultParameters, ...vector.params });
}

/** One run over every event of the vector. */
function runVector(rule: AnyRuleDefinition, vector: Vector) {
  const params = paramsOf(rule, vector);
  const input = { auditEvents: vector.events, fileEvents: vector.fileEvents ?? [] };
  const matched = vector.events.filter((event) => rule.matches(event, params));
  return { matched, alerts: evaluateRule(rule, params, input, []).candidates };
}

type Batch = { events: string[]; detect?: { from: Date; to: Date } };

/** The worker's path: each batch stored, then detected over its own range (or the range it names). */
async function runBatches(rule: AnyRuleDefinition, vector: Vector, batches: Batch[]) {
  const detection = createMemoryDetection(rule, paramsOf(rule, vector));
  for (const batch of batches) {
    const ids = new Set(batch.events);
    const audit = vector.events.filter((event) => ids.has(event.id));
    const files = (vector.fileEvents ?? []).filter((event) => ids.has(event.id));
    detection.store(audit, files);
    const range = batch.detect ?? rangeOf([...audit, ...files]);
    if (range) await detection.detect(range);
  }
  return detection.alerts();
}

/** What must not depend on how the events arrived. */
function essentials(alerts: AlertCandidate[]) {
  return alerts.map((alert) => ({
    identity: alert.identity,
    window: [alert.windowStart.toISOString(), alert.windowEnd.toISOString()],
    events: [alert.firstEventAt.toISOString(), alert.lastEventAt.toISOString()],
    auditEventIds: alert.auditEventIds,
    fileEventIds: alert.fileEventIds,
    severity: alert.severity,
    details: alert.details,
  }));
}

function randomBatches(ids: string[], seed: number): Batch[] {
  const random = seededRandom(seed);
  const batches: Batch[] = [];
  for (const id of random.shuffle(ids)) {
    if (batches.length === 0 || random.chance(0.4)) batches.push({ events: [] });
    batches.at(-1)!.events.push(id);
  }
  return batches;
}

describe.each(ruleDefinitions.map((rule) => [rule.id, rule] as const))('%s vectors', (id, rule) => {
  const vectors = vectorsByRule[id] ?? [];

  it('has positive and negative vectors', () => {
    expect(vectors.filter((vector) => vector.expect.alerts > 0).length).toBeGreaterThanOrEqual(3);
    expect(vectors.filter((vector) => vector.expect.alerts === 0).length).toBeGreaterThanOrEqual(3);
    expect(new Set(vectors.map((vector) => vector.name)).size).toBe(vectors.length);
  });

  it.each(vectors.map((vector) => [vector.name, vector] as const))('%s', async (_name, vector) => {
    const { matched, alerts: oneRun } = runVector(rule, vector);
    const alerts = vector.batches ? await runBatches(rule, vector, vector.batches) : oneRun;
    // However the events arrived, the alerts are those of one run over all of them.
    expect(essentials(alerts)).toEqual(essentials(oneRun));
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

  it('gives one run’s alerts when the events arrive one by one, latest first, or in random batches', async () => {
    for (const vector of vectors) {
      const oneRun = essentials(runVector(rule, vector).alerts);
      const ids = [...vector.events, ...(vector.fileEvents ?? [])]
        .sort((left, right) => right.time.getTime() - left.time.getTime())
        .map((event) => event.id);
      const oneByOne = await runBatches(
        rule,
        vector,
        ids.map((event) => ({ events: [event] })),
      );
      expect(essentials(oneByOne), `${vector.name}: one by one, latest first`).toEqual(oneRun);
      for (const seed of [1, 2, 3]) {
        const batches = await runBatches(rule, vector, randomBatches(ids, seed));
        expect(essentials(batches), `${vector.name}: random batches, seed ${seed}`).toEqual(oneRun);
      }
    }
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
