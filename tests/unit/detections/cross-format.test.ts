// Rule 3 must behave identically whether the same activity arrived from EKS, AKS, GKE or natively.
import { evaluateRule } from '../../../lib/detections/evaluate-rule';
import { describe, expect, it } from 'vitest';
import { generateScenario } from '../../../lib/demo/generate-scenario';
import { writeScenario } from '../../../lib/demo/write-format';
import { getRuleDefinition } from '../../../lib/detections/registry';
import type { DetectionAuditEvent } from '../../../lib/detections/types';
import { parseRecord } from '../../../lib/ingest/detect-format';
import { RecordScanner } from '../../../lib/ingest/read-records';
import type { IngestFormat } from '../../../lib/ingest/types';
import { toDetectionAuditEvent } from '../../support/detection-events';

const scenario = generateScenario({ events: 3000 });
const rule = getRuleDefinition('secret-enumeration-by-user')!;

function detectionEvents(format: IngestFormat): DetectionAuditEvent[] {
  const scanner = new RecordScanner();
  const events: DetectionAuditEvent[] = [];
  const take = (records: ReturnType<RecordScanner['push']>) => {
    for (const record of records) {
      if (record.kind !== 'record') continue;
      for (const outcome of parseRecord(
        JSON.parse(record.text),
        { text: record.text, container: record.container },
        format,
      ).outcomes) {
        if (outcome.kind !== 'audit') continue;
        events.push({ ...toDetectionAuditEvent(outcome.event, 'same'), cluster: 'same' });
      }
    }
  };
  for (const text of writeScenario(scenario, format)) take(scanner.push(Buffer.from(text)));
  take(scanner.end());
  return events.sort((a, b) => a.time.getTime() - b.time.getTime() || a.id.localeCompare(b.id));
}

function enumerationAlerts(format: IngestFormat) {
  const params = rule.defaultParameters;
  const events = detectionEvents(format);
  return evaluateRule(rule, params, { auditEvents: events, fileEvents: [] }, []).candidates.map((alert) => ({
    username: alert.username,
    severity: alert.severity,
    windowStart: alert.windowStart.toISOString(),
    auditIds: [...new Set(alert.auditEventIds.map((id) => id.split('/')[0]))].sort(),
    // The decision inputs, not the display strings: GKE records a synthetic request URI
    // (`/apis/` + resourceName), so a cluster-wide list's value reads differently but counts the same.
    distinctValueCount: alert.details.distinctValueCount,
    verbs: alert.details.verbs,
    anyReadSucceeded: alert.details.anyReadSucceeded,
  }));
}

describe('secret enumeration across log sources', () => {
  const native = enumerationAlerts('k8s-audit');

  it('raises the planted enumeration from native events', () => {
    const expected = scenario.groundTruth.alerts.filter((alert) => alert.ruleId === 'secret-enumeration-by-user');
    expect(native.map((alert) => alert.username)).toEqual(expected.map((alert) => alert.key.username));
  });

  it.each(['eks-cloudwatch', 'aks-diagnostics', 'gke-cloud-audit'] as const)(
    'raises the same alert from %s',
    (format) => {
      expect(enumerationAlerts(format)).toEqual(native);
    },
  );
});
