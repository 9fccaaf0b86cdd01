import { describe, expect, it } from 'vitest';
import { generateScenario } from '../../../lib/demo/generate-scenario';
import type { ExpectedAlert, ScenarioOptions } from '../../../lib/demo/types';
import { evaluateReferenceRules, type ReferenceAlert } from './reference-rules';

/** The ground-truth fields the reference evaluator can recompute from the events alone. */
function comparable(alert: ExpectedAlert | ReferenceAlert) {
  const key =
    alert.ruleId === 'rapid-secret-get-multiple-objects'
      ? { username: alert.key.username, sourceIp: alert.key.sourceIp, userAgent: alert.key.userAgent }
      : alert.ruleId === 'sa-token-access-then-api-request'
        ? { podName: alert.key.podName, namespace: alert.key.namespace }
        : { username: alert.key.username };
  const withValues =
    alert.ruleId === 'rapid-secret-get-multiple-objects' || alert.ruleId === 'secret-enumeration-by-user';
  return {
    ruleId: alert.ruleId,
    key,
    auditIds: alert.auditIds,
    auditEventCount: alert.auditEventCount,
    fileEventIds: alert.fileEventIds,
    firstEventTime: alert.firstEventTime,
    lastEventTime: alert.lastEventTime,
    distinctValues: withValues ? [...alert.distinctValues].sort() : [],
    severity: alert.severity,
  };
}

function check(options: ScenarioOptions) {
  const scenario = generateScenario(options);
  const events = [...scenario.auditEvents()];
  const files = [...scenario.fileEvents()];
  const found = evaluateReferenceRules(events, files);
  expect(found.map(comparable)).toEqual(scenario.groundTruth.alerts.map(comparable));
  return { scenario, events, files };
}

describe('ground truth', () => {
  it('is exactly what the rules raise over the default scenario, background included', () => {
    const { scenario, events, files } = check({});
    const counts: Record<string, number> = {};
    for (const alert of scenario.groundTruth.alerts) counts[alert.ruleId] = (counts[alert.ruleId] ?? 0) + 1;
    expect(counts).toEqual({
      'secret-read-by-node-or-pod-sa': 2,
      'rapid-secret-get-multiple-objects': 1,
      'secret-enumeration-by-user': 1,
      'sa-token-access-then-api-request': 1,
    });

    const r1 = scenario.groundTruth.alerts.find((alert) => alert.scenario === 'r1-compromised-pod-service-account')!;
    expect(r1.auditIds).toHaveLength(200);
    // Some of its requests are logged at two stages: still 200 requests.
    expect(events.filter((event) => r1.auditIds.includes(event.auditID)).length).toBeGreaterThan(200);
    expect(r1.auditEventCount).toBe(200);
    const r2 = scenario.groundTruth.alerts.find((alert) => alert.ruleId === 'rapid-secret-get-multiple-objects')!;
    expect(r2.distinctValues.length).toBeGreaterThanOrEqual(5);
    expect(r2.outcomes.sort()).toEqual(['allow', 'forbid']);
    expect(r2.namespaces.length).toBeGreaterThan(1);
    const r3 = scenario.groundTruth.alerts.find((alert) => alert.ruleId === 'secret-enumeration-by-user')!;
    expect(r3.distinctValues.length).toBeGreaterThanOrEqual(20);
    expect(r3.outcomes.sort()).toEqual(['allow', 'forbid']);
    const span = (alert: ExpectedAlert) => Date.parse(alert.lastEventTime) - Date.parse(alert.firstEventTime);
    expect(span(r1)).toBeLessThan(40 * 60_000);
    expect(span(r2)).toBeLessThan(3 * 60_000);
    expect(span(r3)).toBeLessThan(25 * 60_000);

    // Upstream's bare-pod-name join also pulls in the decoy's calls; Vigil's namespace-aware join does not.
    const decoy = scenario.groundTruth.decoys.find((entry) => entry.scenario === 'r4-same-pod-name-other-namespace')!;
    const upstream = evaluateReferenceRules(events, files, { upstreamR4Join: true }).filter(
      (alert) => alert.ruleId === 'sa-token-access-then-api-request',
    );
    expect(upstream).toHaveLength(1);
    for (const id of decoy.auditIds) expect(upstream[0]!.auditIds).toContain(id);
    const r4 = scenario.groundTruth.alerts.find((alert) => alert.ruleId === 'sa-token-access-then-api-request')!;
    for (const id of decoy.auditIds) expect(r4.auditIds).not.toContain(id);
    const nearMiss = scenario.groundTruth.decoys.find(
      (entry) => entry.scenario === 'r4-token-read-without-api-request',
    )!;
    expect(upstream.some((alert) => alert.fileEventIds.includes(nearMiss.fileEventIds[0]!))).toBe(false);
  });

  it.each([
    { seed: 2, events: 8000, hours: 3 },
    { seed: 3, events: 20_000, hours: 24 },
    { seed: 99, events: 1200, hours: 2 },
  ])('holds for other seeds and spans (%o)', (options) => {
    check(options);
  });

  it('holds when the background is dense', () => {
    check({ seed: 5, events: 150_000, hours: 2 });
  });
});
