import { describe, expect, it } from 'vitest';
import { generateScenario } from '../../../lib/demo/generate-scenario';
import type { ExpectedAlert, Scenario } from '../../../lib/demo/types';
import { sortByTime } from '../../../lib/detections/build-alert-candidate';
import { evaluateRule } from '../../../lib/detections/evaluate-rule';
import { ruleDefinitions } from '../../../lib/detections/registry';
import type { AlertCandidate, DetectionAuditEvent, DetectionFileEvent } from '../../../lib/detections/types';
import { parseRecord } from '../../../lib/ingest/detect-format';
import { toDetectionRequests } from '../../support/detection-events';
import type { IngestFormat, NormalizedAuditEvent, NormalizedFileEvent } from '../../../lib/ingest/types';

function parseOne(record: unknown, format: IngestFormat) {
  const { outcomes } = parseRecord(record, { text: JSON.stringify(record), container: null }, format);
  expect(outcomes).toHaveLength(1);
  return outcomes[0]!;
}

function toDetectionFileEvent(event: NormalizedFileEvent, cluster: string): DetectionFileEvent {
  return {
    id: event.eventKey,
    cluster: event.cluster ?? cluster,
    time: new Date(event.time),
    path: event.path,
    action: event.action,
    types: event.types,
    categories: event.categories,
    interactive: event.interactive,
    containerId: event.containerId,
    podName: event.podName,
    namespace: event.namespace,
    hostOs: event.hostOs,
    processName: event.processName,
  };
}

/** The scenario as the store keeps it: one event per request, its stages merged. */
function loadScenario(scenario: Scenario) {
  const records: { event: NormalizedAuditEvent; cluster: string }[] = [];
  for (const raw of scenario.auditEvents()) {
    const outcome = parseOne(raw, 'k8s-audit');
    if (outcome.kind !== 'audit') throw new Error(`audit event not parsed: ${JSON.stringify(outcome)}`);
    records.push({ event: outcome.event, cluster: scenario.cluster });
  }
  const events = toDetectionRequests(records);
  const fileEvents: DetectionFileEvent[] = [];
  for (const raw of scenario.fileEvents()) {
    const outcome = parseOne(raw, 'file-events');
    if (outcome.kind !== 'file') throw new Error(`file event not parsed: ${JSON.stringify(outcome)}`);
    fileEvents.push(toDetectionFileEvent(outcome.event, scenario.cluster));
  }
  return { events: sortByTime(events), fileEvents };
}

/** Every rule over every event, as the engine runs them with default parameters. */
function detect(events: DetectionAuditEvent[], fileEvents: DetectionFileEvent[]): AlertCandidate[] {
  return ruleDefinitions.flatMap((rule) => {
    const params = rule.parametersSchema.parse(rule.defaultParameters);
    return evaluateRule(rule, params, { auditEvents: events, fileEvents }, []).candidates;
  });
}

/** The fields both the ground truth and an alert candidate state, in the ground truth's terms. */
function comparableExpected(alert: ExpectedAlert) {
  return {
    ruleId: alert.ruleId,
    severity: alert.severity,
    key: keyFields(alert.ruleId, alert.key),
    auditIds: alert.auditIds,
    auditEventCount: alert.auditEventCount,
    fileEventIds: alert.fileEventIds,
    firstEventAt: Date.parse(alert.firstEventTime),
    lastEventAt: Date.parse(alert.lastEventTime),
    namespaces: [...alert.namespaces].sort(),
    outcomes: [...alert.outcomes].sort(),
  };
}

function comparableFound(alert: AlertCandidate, events: Map<string, DetectionAuditEvent>) {
  const evidence = alert.auditEventIds.map((id) => events.get(id)!);
  const key = JSON.parse(alert.groupKey) as Record<string, string>;
  return {
    ruleId: alert.ruleId,
    severity: alert.severity,
    key: keyFields(alert.ruleId, key),
    auditIds: [...new Set(evidence.map((event) => event.auditId))],
    auditEventCount: evidence.length,
    fileEventIds: alert.fileEventIds,
    firstEventAt: alert.firstEventAt.getTime(),
    lastEventAt: alert.lastEventAt.getTime(),
    namespaces: [...new Set(evidence.map((event) => event.namespace).filter((value) => value !== null))].sort(),
    outcomes: [...alert.outcomes].sort(),
  };
}

function keyFields(ruleId: string, key: Record<string, string | undefined>) {
  switch (ruleId) {
    case 'secret-read-by-node-or-pod-sa':
      return { username: key.username, sourceIp: key.sourceIp };
    case 'rapid-secret-get-multiple-objects':
      return { username: key.username, sourceIp: key.sourceIp, userAgent: key.userAgent };
    case 'secret-enumeration-by-user':
      return { username: key.username };
    default:
      return { podName: key.podName, namespace: key.namespace };
  }
}

const byFirstEvent = <T extends { ruleId: string; firstEventAt: number }>(left: T, right: T) =>
  left.ruleId.localeCompare(right.ruleId) || left.firstEventAt - right.firstEventAt;

describe('the rules over the demo scenario', () => {
  const scenario = generateScenario({ events: 20_000 });
  const { events, fileEvents } = loadScenario(scenario);
  const eventsById = new Map(events.map((event) => [event.id, event]));
  const alerts = detect(events, fileEvents);

  it('raises exactly the ground truth: one alert per planted attack, with its evidence', () => {
    expect(events).toHaveLength(new Set([...scenario.auditEvents()].map((event) => event.auditID)).size);
    expect(alerts.map((alert) => comparableFound(alert, eventsById)).sort(byFirstEvent)).toEqual(
      scenario.groundTruth.alerts.map(comparableExpected).sort(byFirstEvent),
    );
  });

  it('raises the expected count per rule', () => {
    const counts: Record<string, number> = {};
    for (const alert of alerts) counts[alert.ruleId] = (counts[alert.ruleId] ?? 0) + 1;
    const expected: Record<string, number> = {};
    for (const alert of scenario.groundTruth.alerts) expected[alert.ruleId] = (expected[alert.ruleId] ?? 0) + 1;
    expect(counts).toEqual(expected);
  });

  it('lists the distinct values the ground truth states for R2 and R3', () => {
    for (const ruleId of ['rapid-secret-get-multiple-objects', 'secret-enumeration-by-user']) {
      const found = alerts.find((alert) => alert.ruleId === ruleId)!;
      const truth = scenario.groundTruth.alerts.find((alert) => alert.ruleId === ruleId)!;
      const values = (found.details.secretNames ?? found.details.distinctValues) as string[];
      expect([...values].sort()).toEqual([...truth.distinctValues].sort());
    }
  });

  it('raises nothing for the R4 decoys', () => {
    const r4 = alerts.filter((alert) => alert.ruleId === 'sa-token-access-then-api-request');
    for (const decoy of scenario.groundTruth.decoys.filter(
      (entry) => entry.ruleId === 'sa-token-access-then-api-request',
    )) {
      for (const alert of r4) {
        const auditIds = alert.auditEventIds.map((id) => eventsById.get(id)!.auditId);
        for (const id of decoy.auditIds) expect(auditIds).not.toContain(id);
        if (decoy.auditIds.length === 0) expect(alert.fileEventIds).not.toEqual(decoy.fileEventIds);
      }
    }
  });

  it('gives the same identities when run twice', () => {
    expect(detect(events, fileEvents).map((alert) => alert.identity)).toEqual(alerts.map((alert) => alert.identity));
  });
});
