// Factories for the product's own test events: unique values per call, so tests never collide.
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';

export type NativeEvent = Record<string, unknown> & { auditID: string };

export function nativeEvent(overrides: Record<string, unknown> = {}): NativeEvent {
  const auditID = randomUUID();
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID,
    stage: 'ResponseComplete',
    requestURI: '/api/v1/namespaces/payments/secrets/db-credentials',
    verb: 'get',
    user: {
      username: 'system:serviceaccount:payments:payments-api',
      uid: 'b6e1c1c4-0000-4000-8000-000000000001',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:payments', 'system:authenticated'],
      extra: {
        'authentication.kubernetes.io/pod-name': ['payments-api-7d9f'],
        'authentication.kubernetes.io/pod-uid': ['0c7f5c7e-0000-4000-8000-000000000002'],
        'authentication.kubernetes.io/node-name': ['ip-10-0-3-7'],
      },
    },
    sourceIPs: ['198.51.100.9', '10.0.3.7'],
    userAgent: 'kubectl/v1.30.2 (linux/amd64) kubernetes/39683505',
    objectRef: { resource: 'secrets', namespace: 'payments', name: 'db-credentials', apiVersion: 'v1' },
    responseStatus: { metadata: {}, code: 200 },
    requestReceivedTimestamp: '2026-11-20T10:00:00.123456Z',
    stageTimestamp: '2026-11-20T10:00:00.125000Z',
    annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': 'RBAC: allowed' },
    ...overrides,
  };
}

/** kube-apiserver's two records of one request: RequestReceived (no response, no decision yet), then the event itself. */
export function bothStages(event: NativeEvent): [NativeEvent, NativeEvent] {
  const { responseStatus: _code, annotations: _decision, ...received } = event;
  return [{ ...received, stage: 'RequestReceived', stageTimestamp: event.requestReceivedTimestamp }, event];
}

export function ndjson(records: unknown[]): string {
  return records.map((record) => (typeof record === 'string' ? record : JSON.stringify(record))).join('\n') + '\n';
}

export async function* bytesOf(text: string | Buffer, chunkSize = 4096): AsyncGenerator<Buffer> {
  const buffer = typeof text === 'string' ? Buffer.from(text) : text;
  for (let offset = 0; offset < buffer.length; offset += chunkSize) yield buffer.subarray(offset, offset + chunkSize);
}

export const gzip = (text: string) => gzipSync(Buffer.from(text));
