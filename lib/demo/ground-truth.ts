// Ground truth: the alert each planted attack must raise, summarized from the very rows planted.

import type { Actor, Pod } from './cluster-model';
import { compareTimestamps } from './time';
import type { AlertKey, DefendFileEvent, DetectionRuleId, ExpectedAlert, K8sAuditEvent } from './types';

export const RULE = {
  r1: 'secret-read-by-node-or-pod-sa',
  r2: 'rapid-secret-get-multiple-objects',
  r3: 'secret-enumeration-by-user',
  r4: 'sa-token-access-then-api-request',
} as const satisfies Record<string, DetectionRuleId>;

/** R1's distinct values: the secret read, or "list:<namespace>" for a list. */
export function describeSecretTouched(event: K8sAuditEvent): string {
  return event.objectRef?.name ?? `list:${event.objectRef?.namespace ?? '*'}`;
}

/** R3's unique() value: the secret's name, or what a list or watch covered. */
export function describeSecretEnumerated(event: K8sAuditEvent): string | null {
  const name = event.objectRef?.name;
  if (name) return name;
  if (event.verb === 'list' || event.verb === 'watch') {
    const namespace = event.objectRef?.namespace;
    if (namespace) return `${event.verb}:${namespace}`;
    return event.requestURI ? `${event.verb}:${event.requestURI}` : event.verb;
  }
  return null;
}

export function distinct<T>(values: (T | null | undefined)[]): T[] {
  return [...new Set(values.filter((value): value is T => value !== null && value !== undefined))];
}

export function isApiResponse(event: K8sAuditEvent): boolean {
  return event.stage === 'ResponseComplete' || event.stage === 'ResponseStarted';
}

/** The client fingerprint an alert groups by, narrowed to the pod when the identity is a pod's. */
export function buildAlertKey(actor: Actor, pod?: Pod): AlertKey {
  const key: AlertKey = { username: actor.user.username, sourceIp: actor.sourceIPs.at(-1), userAgent: actor.userAgent };
  if (pod) {
    key.podName = pod.name;
    key.namespace = pod.namespace;
  }
  return key;
}

export function summarizeAlert(input: {
  ruleId: DetectionRuleId;
  scenario: string;
  summary: string;
  severity: ExpectedAlert['severity'];
  key: AlertKey;
  rows: K8sAuditEvent[];
  files?: DefendFileEvent[];
  value: (event: K8sAuditEvent) => string | null;
}): ExpectedAlert {
  const rows = [...input.rows].sort((left, right) =>
    compareTimestamps(left.requestReceivedTimestamp, right.requestReceivedTimestamp),
  );
  const files = input.files ?? [];
  return {
    ruleId: input.ruleId,
    scenario: input.scenario,
    summary: input.summary,
    severity: input.severity,
    key: input.key,
    firstEventTime: files[0]?.['@timestamp'] ?? rows[0]!.requestReceivedTimestamp,
    lastEventTime: rows[rows.length - 1]!.requestReceivedTimestamp,
    auditIds: distinct(rows.map((row) => row.auditID)),
    auditEventCount: distinct(rows.map((row) => row.auditID)).length,
    fileEventIds: files.map((file) => file.event.id),
    distinctValues: distinct(rows.map(input.value)),
    namespaces: distinct(rows.map((row) => row.objectRef?.namespace)),
    outcomes: distinct(rows.map((row) => row.annotations?.['authorization.k8s.io/decision'])),
  };
}

/** The alerts in the order they start. */
export function sortAlerts(alerts: ExpectedAlert[]): ExpectedAlert[] {
  return alerts.sort((left, right) => compareTimestamps(left.firstEventTime, right.firstEventTime));
}
