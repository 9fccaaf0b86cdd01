import { describe, expect, it } from 'vitest';
import {
  describeSupportedFormats,
  detectRecordFormat,
  formatParsers,
  parseRecord,
} from '../../../lib/ingest/detect-format';
import { FORMAT_DESCRIPTIONS, INGEST_FORMATS, type IngestFormat } from '../../../lib/ingest/types';
import {
  buildAuditEvent,
  contextOf,
  expectSingleAudit,
  expectVerdict,
  type JsonRecord,
} from '../../fixtures/ingest/audit-events';

const samples: Record<IngestFormat, JsonRecord> = {
  'k8s-audit': buildAuditEvent(),
  'eks-cloudwatch': {
    logStreamName: 'kube-apiserver-audit-1',
    timestamp: 1,
    message: JSON.stringify(buildAuditEvent()),
  },
  'gke-cloud-audit': {
    protoPayload: {
      serviceName: 'k8s.io',
      methodName: 'io.k8s.core.v1.secrets.list',
      resourceName: 'core/v1/namespaces/payments/secrets',
      requestMetadata: { callerIp: '10.0.0.4' },
    },
    insertId: 'ins-1',
    timestamp: '2026-03-14T09:26:53Z',
  },
  'aks-diagnostics': {
    category: 'kube-audit',
    operationName: 'Microsoft.ContainerService/managedClusters/diagnosticLogs/Read',
    properties: { log: JSON.stringify(buildAuditEvent()) },
  },
  'elastic-audit': {
    '@timestamp': '2026-03-14T09:26:53Z',
    // The audit integration also sets event.action (the verb) and may carry a file.path: still audit.
    event: { action: 'get', outcome: 'success' },
    file: { path: '/var/log/kubernetes/kube-apiserver-audit.log' },
    message: '{"kind":"Event"}',
    kubernetes: { audit: { auditID: 'ecs-1', stage: 'ResponseComplete', verb: 'get' } },
  },
  'file-events': {
    '@timestamp': '2026-03-14T09:26:41Z',
    message: 'file open',
    event: { action: 'open', type: ['change'], category: ['file'] },
    file: { path: '/var/run/secrets/kubernetes.io/serviceaccount/token' },
  },
};

describe('detectRecordFormat', () => {
  it.each(INGEST_FORMATS)('recognises %s', (format) => {
    const record = samples[format];
    expect(detectRecordFormat(record, contextOf(record))).toBe(format);
    expect(parseRecord(record, contextOf(record), 'auto').format).toBe(format);
  });

  it('does not mistake an ECS audit document for a file event', () => {
    const record = samples['elastic-audit'];
    expect(formatParsers['file-events'].matches(record, contextOf(record))).toBe(true);
    expect(detectRecordFormat(record, contextOf(record))).toBe('elastic-audit');
    expect(expectSingleAudit(parseRecord(record, contextOf(record), 'auto').outcomes).auditId).toBe('ecs-1');
  });

  it('does not take an unrelated ECS log (message + @timestamp) for CloudWatch', () => {
    const record = { '@timestamp': '2026-03-14T09:26:53Z', message: 'GET /healthz 200', host: { name: 'n1' } };
    expect(detectRecordFormat(record, contextOf(record))).toBeNull();
  });

  it('sends {"kind": 0} to the native parser, which explains the rejection', () => {
    const result = parseRecord({ kind: 0 }, contextOf({ kind: 0 }), 'auto');
    expect(result.format).toBe('k8s-audit');
    expect(expectVerdict(result.outcomes, 'rejected')).toMatch(/^not a Kubernetes audit event/);
  });

  it('recognises whole documents: EventList, Azure records, subscription envelopes', () => {
    const list = { kind: 'EventList', items: [buildAuditEvent()] };
    const azure = { records: [samples['aks-diagnostics']] };
    const envelope = { messageType: 'DATA_MESSAGE', logGroup: '/aws/eks/a/cluster', logEvents: [] };
    expect(detectRecordFormat(list, contextOf(list))).toBe('k8s-audit');
    expect(detectRecordFormat(azure, contextOf(azure))).toBe('aks-diagnostics');
    expect(detectRecordFormat(envelope, contextOf(envelope))).toBe('eks-cloudwatch');
  });

  it('returns null for something else', () => {
    expect(detectRecordFormat({ foo: 1 }, contextOf({ foo: 1 }))).toBeNull();
    expect(detectRecordFormat([1, 2], contextOf([1, 2]))).toBeNull();
  });
});

describe('parseRecord', () => {
  it('rejects an unrecognized record, naming its keys and the supported formats', () => {
    const record = { foo: 1, bar: { baz: 2 } };
    const result = parseRecord(record, contextOf(record), 'auto');
    expect(result.format).toBeNull();
    expect(expectVerdict(result.outcomes, 'rejected')).toBe(
      `unrecognized record (keys: foo, bar); expected one of: ${INGEST_FORMATS.join(', ')}`,
    );
  });

  it('rejects what is not a JSON object', () => {
    for (const record of [[buildAuditEvent()], 'text', 42, null]) {
      const result = parseRecord(record, contextOf(record), 'auto');
      expect(result.format).toBeNull();
      expect(expectVerdict(result.outcomes, 'rejected')).toMatch(/^not a JSON object \(received /);
    }
  });

  it('uses only the named parser for an explicit format', () => {
    const record = samples['gke-cloud-audit'];
    const result = parseRecord(record, contextOf(record), 'gke-cloud-audit');
    expect(result.format).toBe('gke-cloud-audit');
    expect(expectSingleAudit(result.outcomes).verb).toBe('list');
  });

  it('rejects a record that the explicit format does not match, saying what it looks like', () => {
    const record = samples['k8s-audit'];
    const result = parseRecord(record, contextOf(record), 'gke-cloud-audit');
    expect(result.format).toBe('gke-cloud-audit');
    expect(expectVerdict(result.outcomes, 'rejected')).toBe('not a gke-cloud-audit record (it looks like k8s-audit)');
    const unknown = parseRecord({ foo: 1 }, contextOf({ foo: 1 }), 'file-events');
    expect(expectVerdict(unknown.outcomes, 'rejected')).toBe('not a file-events record');
  });

  it('turns a record that breaks a parser into one rejection instead of throwing', () => {
    // An absurdly nested requestObject: the jsonb sanitizer's recursion overflows.
    let nested: unknown = 'leaf';
    for (let depth = 0; depth < 200_000; depth++) nested = [nested];
    const record = {
      category: 'kube-audit',
      operationName: 'Microsoft.ContainerService/managedClusters/diagnosticLogs/Read',
      properties: { log: buildAuditEvent({ requestObject: nested }) },
    };
    const result = parseRecord(record, { text: '{}', container: 'records' }, 'auto');
    expect(expectVerdict(result.outcomes, 'rejected')).toMatch(
      /^could not parse this aks-diagnostics record: RangeError/,
    );
  });
});

describe('formatParsers and describeSupportedFormats', () => {
  it('has one parser per format, each knowing its own name', () => {
    expect(Object.keys(formatParsers).sort()).toEqual([...INGEST_FORMATS].sort());
    for (const format of INGEST_FORMATS) expect(formatParsers[format].format).toBe(format);
  });

  it('lists every format with its description, on one line for an error message', () => {
    const description = describeSupportedFormats();
    expect(description).not.toContain('\n');
    expect(description.split('; ')).toEqual(
      INGEST_FORMATS.map((format) => `${format}: ${FORMAT_DESCRIPTIONS[format]}`),
    );
  });
});
