import { describe, expect, it } from 'vitest';
import { elasticAuditParser } from '../../../lib/ingest/formats/elastic-audit';
import {
  contextOf,
  expectedAuditFields,
  expectSingleAudit,
  expectVerdict,
  SCRIPT_USER_AGENT,
  type JsonRecord,
} from '../../fixtures/ingest/audit-events';

type AuditOverrides = { audit?: JsonRecord } & JsonRecord;

/** An ECS document as logs-kubernetes.audit_logs-* stores it, for the fixture event. */
function buildEcsAuditDocument({ audit = {}, ...overrides }: AuditOverrides = {}): JsonRecord {
  return {
    '@timestamp': '2026-03-14T09:26:53.594Z',
    data_stream: { dataset: 'kubernetes.audit_logs', namespace: 'default', type: 'logs' },
    event: { action: 'get', kind: 'event', outcome: 'success', dataset: 'kubernetes.audit_logs' },
    kubernetes: {
      audit: {
        kind: 'Event',
        apiVersion: 'audit.k8s.io/v1',
        level: 'Metadata',
        auditID: '5b0c9a52-6f1e-4c1d-9a43-0c2e7f3b8d11',
        stage: 'ResponseComplete',
        requestURI: '/api/v1/namespaces/payments/secrets/stripe-api-key',
        verb: 'get',
        user: {
          username: 'system:serviceaccount:payments:checkout',
          uid: 'a1b2c3d4-0000-4000-8000-000000000001',
          groups: ['system:serviceaccounts', 'system:serviceaccounts:payments', 'system:authenticated'],
          extra: {
            authentication: {
              kubernetes: {
                'io/pod-name': ['checkout-6f9c7d5b8-x2kq4'],
                'io/pod-uid': ['7e1f2a3b-2222-4333-8444-555566667777'],
                'io/node-name': ['ip-10-20-3-41.eu-west-1.compute.internal'],
              },
            },
          },
        },
        sourceIPs: ['198.51.100.77', '10.20.3.41'],
        userAgent: 'checkout/2.4.1 (linux/amd64) kubernetes/$Format',
        objectRef: { resource: 'secrets', namespace: 'payments', name: 'stripe-api-key', apiVersion: 'v1' },
        responseStatus: { code: 200 },
        requestReceivedTimestamp: '2026-03-14T09:26:53.589793Z',
        stageTimestamp: '2026-03-14T09:26:53.594210Z',
        annotations: {
          'authorization_k8s_io/decision': 'allow',
          'authorization_k8s_io/reason':
            'RBAC: allowed by RoleBinding "checkout-secrets/payments" of Role "secret-reader"',
        },
        ...audit,
      },
    },
    orchestrator: {
      cluster: { name: 'eks-payments' },
      namespace: 'payments',
      resource: { name: 'stripe-api-key', type: 'secrets' },
    },
    source: { ip: ['198.51.100.77', '10.20.3.41'] },
    user: { name: 'system:serviceaccount:payments:checkout' },
    user_agent: { original: 'checkout/2.4.1 (linux/amd64) kubernetes/$Format' },
    ...overrides,
  };
}

function parse(record: unknown) {
  return elasticAuditParser.parse(record, contextOf(record));
}

describe('elastic-audit parser', () => {
  it('normalizes every field of an ECS audit document', () => {
    const record = buildEcsAuditDocument();
    const context = contextOf(record);
    const event = expectSingleAudit(elasticAuditParser.parse(record, context));
    expect(event).toEqual({
      ...expectedAuditFields,
      cluster: 'eks-payments',
      original: record,
      originalText: context.text,
    });
  });

  it('unwraps a search hit: the original is _source', () => {
    const source = buildEcsAuditDocument();
    const hit = {
      _index: '.ds-logs-kubernetes.audit_logs-default-2026.03.14-000001',
      _id: 'qwe123',
      _score: 1,
      _source: source,
    };
    expect(elasticAuditParser.matches(hit, contextOf(hit))).toBe(true);
    const event = expectSingleAudit(parse(hit));
    expect(event.original).toBe(source);
    expect(event.originalText).toBeUndefined();
    expect(event.auditId).toBe(expectedAuditFields.auditId);
  });

  it('reads user.extra given as flat dotted keys too', () => {
    const event = expectSingleAudit(
      parse(
        buildEcsAuditDocument({
          audit: {
            user: {
              username: 'system:serviceaccount:payments:checkout',
              extra: {
                'authentication.kubernetes.io/pod-name': ['checkout-6f9c7d5b8-x2kq4'],
                'authentication.kubernetes.io/pod-uid': 'single-value-uid',
              },
            },
          },
        }),
      ),
    );
    expect(event).toMatchObject({ podName: 'checkout-6f9c7d5b8-x2kq4', podUid: 'single-value-uid', nodeName: null });
  });

  it('reads a fully dotted document', () => {
    const record = {
      '@timestamp': '2026-03-14T09:26:53.594Z',
      'kubernetes.audit.auditID': 'dotted-1',
      'kubernetes.audit.stage': 'ResponseComplete',
      'kubernetes.audit.verb': 'list',
      'kubernetes.audit.objectRef.resource': 'secrets',
      'kubernetes.audit.user.extra.authentication.kubernetes.io/pod-name': ['runner-0'],
      'kubernetes.audit.annotations.authorization.k8s.io/decision': 'allow',
      'source.ip': '192.0.2.10',
      'user.name': 'system:serviceaccount:ci:runner',
      'orchestrator.cluster.name': 'ci',
    };
    expect(elasticAuditParser.matches(record, contextOf(record))).toBe(true);
    expect(expectSingleAudit(parse(record))).toMatchObject({
      auditId: 'dotted-1',
      verb: 'list',
      resource: 'secrets',
      podName: 'runner-0',
      decision: 'allow',
      sourceIps: ['192.0.2.10'],
      sourceIp: '192.0.2.10',
      username: 'system:serviceaccount:ci:runner',
      cluster: 'ci',
      time: '2026-03-14T09:26:53.594Z',
    });
  });

  it('normalizes a denied request, falling back to event.outcome for the decision', () => {
    const event = expectSingleAudit(
      parse(
        buildEcsAuditDocument({
          audit: { annotations: {}, responseStatus: { code: 403 } },
          event: { action: 'get', outcome: 'failure' },
        }),
      ),
    );
    expect(event).toMatchObject({ decision: 'forbid', reason: null, responseCode: 403 });
  });

  it('accepts annotations whose keys were not rewritten', () => {
    const event = expectSingleAudit(
      parse(
        buildEcsAuditDocument({ audit: { annotations: { 'authorization.k8s.io/decision': 'forbid' } }, event: {} }),
      ),
    );
    expect(event.decision).toBe('forbid');
  });

  it('falls back to source.ip, user.name, user_agent.original and @timestamp', () => {
    const event = expectSingleAudit(
      parse(
        buildEcsAuditDocument({
          audit: {
            sourceIPs: undefined,
            user: undefined,
            userAgent: undefined,
            requestReceivedTimestamp: undefined,
            stageTimestamp: undefined,
          },
          source: { ip: ['203.0.113.4', '10.0.0.9'] },
        }),
      ),
    );
    expect(event).toMatchObject({
      sourceIps: ['203.0.113.4', '10.0.0.9'],
      sourceIp: '10.0.0.9',
      username: 'system:serviceaccount:payments:checkout',
      userAgent: 'checkout/2.4.1 (linux/amd64) kubernetes/$Format',
      time: '2026-03-14T09:26:53.594Z',
      // No stageTimestamp: the event time stands in for the stage's.
      completedAt: '2026-03-14T09:26:53.594Z',
    });
  });

  it('rejects a document with no time at all', () => {
    const record = buildEcsAuditDocument({
      audit: { requestReceivedTimestamp: undefined, stageTimestamp: undefined },
      '@timestamp': undefined,
    });
    expect(expectVerdict(parse(record), 'rejected')).toMatch(/^no event time/);
  });

  it.each([
    [{ audit: { verb: 7 } }, 'kubernetes.audit.verb: expected string, received number'],
    [{ audit: { auditID: undefined } }, 'kubernetes.audit.auditID: missing (expected string)'],
    [
      { audit: { responseStatus: { code: 'OK' } } },
      'kubernetes.audit.responseStatus.code: expected number, received string',
    ],
    [{ audit: { sourceIPs: 17 } }, 'kubernetes.audit.sourceIPs: expected string or array of strings'],
    [{ audit: { sourceIPs: undefined }, source: { ip: false } }, 'source.ip: expected string or array of strings'],
  ])('rejects wrong types with the ECS path: %j', (overrides, expected) => {
    expect(expectVerdict(parse(buildEcsAuditDocument(overrides)), 'rejected')).toBe(expected);
  });

  it('keeps a <script> user agent, replaces NUL, and takes the last source IP', () => {
    const event = expectSingleAudit(
      parse(buildEcsAuditDocument({ audit: { userAgent: SCRIPT_USER_AGENT, auditID: 'audit\u0000id' } })),
    );
    expect(event).toMatchObject({
      userAgent: SCRIPT_USER_AGENT,
      auditId: 'audit\uFFFDid',
      sourceIp: '10.20.3.41',
    });
  });

  it('rejects a stage Kubernetes does not log, naming the four it does', () => {
    const record = buildEcsAuditDocument({ audit: { stage: 'Response\u0000Complete' } });
    expect(expectVerdict(parse(record), 'rejected')).toMatch(
      /^stage: expected one of RequestReceived, ResponseStarted, ResponseComplete, Panic/,
    );
  });
});
