import type { DetectionAuditEvent, DetectionFileEvent } from './types';

// Builders for the rules' own vectors: a complete, benign-looking event that each case overrides.

export const VECTOR_CLUSTER = 'vectors';
export const VECTOR_START = Date.parse('2026-03-14T09:00:00.000Z');

/** An instant `seconds` after the vectors' start. */
export function atSecond(seconds: number): Date {
  return new Date(VECTOR_START + seconds * 1000);
}

export function buildAuditEvent(id: string, overrides: Partial<DetectionAuditEvent> = {}): DetectionAuditEvent {
  const sourceIps = overrides.sourceIps ?? ['10.20.7.102'];
  return {
    id,
    cluster: VECTOR_CLUSTER,
    auditId: `audit-${id}`,
    time: overrides.time ?? atSecond(0),
    // Logged at ResponseComplete unless a case says otherwise.
    startedAt: null,
    completedAt: overrides.time ?? atSecond(0),
    verb: 'get',
    username: 'alice@example.com',
    groups: ['system:authenticated'],
    userAgent: 'kubectl/v1.31.0 (linux/amd64) kubernetes/abcdef0',
    sourceIp: sourceIps.at(-1) ?? null,
    resource: 'secrets',
    subresource: null,
    namespace: 'payments',
    name: 'payments-db-credentials',
    requestUri: '/api/v1/namespaces/payments/secrets/payments-db-credentials',
    responseCode: 200,
    decision: 'allow',
    podName: null,
    podUid: null,
    nodeName: null,
    ...overrides,
    sourceIps,
  };
}

export function buildFileEvent(id: string, overrides: Partial<DetectionFileEvent> = {}): DetectionFileEvent {
  return {
    id,
    cluster: VECTOR_CLUSTER,
    time: atSecond(0),
    path: '/var/run/secrets/kubernetes.io/serviceaccount/token',
    action: 'open',
    types: ['change'],
    categories: ['file'],
    interactive: true,
    containerId: '0e7c4f2a9b1d3e5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f',
    podName: 'payments-api-7d9f8c6b5-q2w4e',
    namespace: 'payments',
    hostOs: 'linux',
    processName: 'cat',
    ...overrides,
  };
}

/** `count` events built from one template, ids `${prefix}-1`…, `stepSeconds` apart from `fromSecond`. */
export function buildAuditEventSeries(
  prefix: string,
  count: number,
  fromSecond: number,
  stepSeconds: number,
  overrides: (index: number) => Partial<DetectionAuditEvent> = () => ({}),
): DetectionAuditEvent[] {
  return Array.from({ length: count }, (_, index) =>
    buildAuditEvent(`${prefix}-${index + 1}`, {
      time: atSecond(fromSecond + index * stepSeconds),
      ...overrides(index),
    }),
  );
}
