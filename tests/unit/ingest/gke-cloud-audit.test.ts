import { stagesOf } from '../../../lib/events/request-stages';
import { reasonFieldsOf } from '../../../lib/rbac/parse-authorization-reason';
import { describe, expect, it } from 'vitest';
import { gkeCloudAuditParser, parseGkeResourceName } from '../../../lib/ingest/formats/gke-cloud-audit';
import {
  contextOf,
  expectSingleAudit,
  expectVerdict,
  SCRIPT_USER_AGENT,
  type JsonRecord,
} from '../../fixtures/ingest/audit-events';

type EntryOverrides = { payload?: JsonRecord } & JsonRecord;

/** A GKE Cloud Audit Logs entry for `get secrets/stripe-api-key` in namespace payments. */
function buildGkeEntry({ payload = {}, ...overrides }: EntryOverrides = {}): JsonRecord {
  return {
    protoPayload: {
      '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
      authenticationInfo: { principalEmail: 'system:serviceaccount:payments:checkout' },
      authorizationInfo: [
        {
          granted: true,
          permission: 'io.k8s.core.v1.secrets.get',
          resource: 'core/v1/namespaces/payments/secrets/stripe-api-key',
        },
      ],
      methodName: 'io.k8s.core.v1.secrets.get',
      requestMetadata: {
        callerIp: '10.20.3.41',
        callerSuppliedUserAgent: 'checkout/2.4.1 (linux/amd64) kubernetes/$Format',
      },
      resourceName: 'core/v1/namespaces/payments/secrets/stripe-api-key',
      serviceName: 'k8s.io',
      status: { code: 0 },
      ...payload,
    },
    insertId: '8a2f7c1e-5d3b-4f6a-9c0e-1b2d3f4a5c6e',
    resource: {
      type: 'k8s_cluster',
      labels: { cluster_name: 'gke-prod', location: 'europe-west1', project_id: 'vigil-demo' },
    },
    timestamp: '2026-03-14T09:26:53.589793Z',
    severity: 'INFO',
    labels: {
      'authorization.k8s.io/decision': 'allow',
      'authorization.k8s.io/reason': 'RBAC: allowed by RoleBinding "checkout-secrets/payments" of Role "secret-reader"',
    },
    logName: 'projects/vigil-demo/logs/cloudaudit.googleapis.com%2Fdata_access',
    operation: { id: '5b0c9a52-6f1e-4c1d-9a43-0c2e7f3b8d11', producer: 'k8s.io', first: true, last: true },
    receiveTimestamp: '2026-03-14T09:26:55.120004311Z',
    ...overrides,
  };
}

function parse(record: unknown) {
  return gkeCloudAuditParser.parse(record, contextOf(record));
}

describe('gke-cloud-audit parser', () => {
  it('maps every field of a k8s.io entry', () => {
    const record = buildGkeEntry();
    const context = contextOf(record);
    const event = expectSingleAudit(gkeCloudAuditParser.parse(record, context));
    expect(event).toEqual({
      cluster: 'gke-prod',
      auditId: '5b0c9a52-6f1e-4c1d-9a43-0c2e7f3b8d11',
      time: '2026-03-14T09:26:53.589793Z',
      receivedAt: null,
      startedAt: null,
      // GKE logs no stage time: the entry's own time stands in.
      completedAt: '2026-03-14T09:26:53.589793Z',
      panickedAt: null,
      level: null,
      verb: 'get',
      username: 'system:serviceaccount:payments:checkout',
      userUid: null,
      groups: [],
      userAgent: 'checkout/2.4.1 (linux/amd64) kubernetes/$Format',
      sourceIps: ['10.20.3.41'],
      sourceIp: '10.20.3.41',
      resource: 'secrets',
      subresource: null,
      namespace: 'payments',
      name: 'stripe-api-key',
      apiGroup: null,
      apiVersion: 'v1',
      requestUri: '/apis/core/v1/namespaces/payments/secrets/stripe-api-key',
      responseCode: 200,
      decision: 'allow',
      reason: 'RBAC: allowed by RoleBinding "checkout-secrets/payments" of Role "secret-reader"',
      // Cut short (no subject): kept verbatim, not parsed.
      ...reasonFieldsOf(null),
      reasonParsed: false,
      podName: null,
      podUid: null,
      nodeName: null,
      impersonatedUser: null,
      original: record,
      originalText: context.text,
    });
  });

  it('maps a denied request: PERMISSION_DENIED → 403, forbid from the labels', () => {
    const event = expectSingleAudit(
      parse(
        buildGkeEntry({
          payload: { status: { code: 7, message: 'PERMISSION_DENIED' } },
          labels: { 'authorization.k8s.io/decision': 'forbid', 'authorization.k8s.io/reason': '' },
        }),
      ),
    );
    expect(event).toMatchObject({ responseCode: 403, decision: 'forbid', reason: null });
  });

  it.each([
    [0, 200],
    [3, 400],
    [5, 404],
    [6, 409],
    [7, 403],
    [8, 429],
    [13, 500],
    [14, 503],
    [16, 401],
    [2, 500],
    [10, 500],
  ])('maps gRPC code %i to HTTP %i', (code, http) => {
    expect(expectSingleAudit(parse(buildGkeEntry({ payload: { status: { code } } }))).responseCode).toBe(http);
  });

  it('treats a missing status or a status without code as OK', () => {
    expect(expectSingleAudit(parse(buildGkeEntry({ payload: { status: undefined } }))).responseCode).toBe(200);
    expect(expectSingleAudit(parse(buildGkeEntry({ payload: { status: {} } }))).responseCode).toBe(200);
  });

  it('skips entries of other services', () => {
    const entry = buildGkeEntry({
      payload: { serviceName: 'compute.googleapis.com', methodName: 'v1.compute.instances.list' },
    });
    expect(expectVerdict(parse(entry), 'skipped')).toBe('GKE entry of service "compute.googleapis.com"');
  });

  describe('resourceName', () => {
    it.each([
      [
        'a namespaced object',
        'core/v1/namespaces/payments/secrets/stripe-api-key',
        { namespace: 'payments', resource: 'secrets', name: 'stripe-api-key', subresource: null, apiGroup: null },
      ],
      // Panther's data model would give name "payments" here (the GKE quirk); a list has no name.
      [
        'a namespaced collection (list)',
        'core/v1/namespaces/payments/secrets',
        { namespace: 'payments', resource: 'secrets', name: null, subresource: null },
      ],
      [
        'a subresource',
        'core/v1/namespaces/payments/pods/checkout-0/exec',
        { namespace: 'payments', resource: 'pods', name: 'checkout-0', subresource: 'exec' },
      ],
      ['a cluster-wide list', 'core/v1/secrets', { namespace: null, resource: 'secrets', name: null }],
      [
        'a cluster-scoped object',
        'rbac.authorization.k8s.io/v1/clusterroles/admin',
        { namespace: null, resource: 'clusterroles', name: 'admin', apiGroup: 'rbac.authorization.k8s.io' },
      ],
      [
        'a cluster-scoped subresource',
        'core/v1/nodes/gke-pool-1-abcd/proxy',
        { namespace: null, resource: 'nodes', name: 'gke-pool-1-abcd', subresource: 'proxy' },
      ],
      [
        'a namespace',
        'core/v1/namespaces/payments',
        { namespace: 'payments', resource: 'namespaces', name: 'payments' },
      ],
      [
        'a namespace subresource',
        'core/v1/namespaces/payments/finalize',
        { namespace: 'payments', resource: 'namespaces', name: 'payments', subresource: 'finalize' },
      ],
    ])('parses %s', (_label, resourceName, expected) => {
      expect(parseGkeResourceName(resourceName)).toMatchObject({ ...expected, requestURI: `/apis/${resourceName}` });
    });

    it('maps a non-resource path to its own URI, not under /apis', () => {
      const event = expectSingleAudit(
        parse(buildGkeEntry({ payload: { methodName: 'io.k8s.get', resourceName: 'readyz' } })),
      );
      expect(event).toMatchObject({ verb: 'get', requestUri: '/readyz', resource: null, name: null, namespace: null });
      expect(parseGkeResourceName('/livez').requestURI).toBe('/livez');
    });

    it('has no request URI when the entry has no resourceName', () => {
      const event = expectSingleAudit(parse(buildGkeEntry({ payload: { resourceName: undefined } })));
      expect(event).toMatchObject({ requestUri: null, resource: null });
    });
  });

  it('takes the verb from the last segment of methodName', () => {
    const event = expectSingleAudit(
      parse(
        buildGkeEntry({
          payload: {
            methodName: 'io.k8s.core.v1.pods.exec.create',
            resourceName: 'core/v1/namespaces/payments/pods/checkout-0/exec',
          },
        }),
      ),
    );
    expect(event).toMatchObject({ verb: 'create', resource: 'pods', subresource: 'exec' });
  });

  describe('identity and stage', () => {
    it('uses operation.id as auditId, else insertId', () => {
      expect(expectSingleAudit(parse(buildGkeEntry())).auditId).toBe('5b0c9a52-6f1e-4c1d-9a43-0c2e7f3b8d11');
      expect(expectSingleAudit(parse(buildGkeEntry({ operation: undefined }))).auditId).toBe(
        '8a2f7c1e-5d3b-4f6a-9c0e-1b2d3f4a5c6e',
      );
    });

    it('rejects an entry with neither operation.id nor insertId', () => {
      expect(expectVerdict(parse(buildGkeEntry({ operation: undefined, insertId: undefined })), 'rejected')).toBe(
        'GKE entry has neither operation.id nor insertId',
      );
    });

    it.each([
      [{ first: true, last: true }, 'ResponseComplete'],
      [{ first: true }, 'RequestReceived'],
      [{ first: true, last: false }, 'RequestReceived'],
      [{ last: true }, 'ResponseComplete'],
      [undefined, 'ResponseComplete'],
    ])('operation %j → stage %s', (operation, stage) => {
      const entry = buildGkeEntry({ operation: operation && { id: 'op-1', producer: 'k8s.io', ...operation } });
      expect(stagesOf(expectSingleAudit(parse(entry)))).toEqual([stage]);
    });

    it('falls back from principalEmail to principalSubject to authoritySelector', () => {
      const subject = buildGkeEntry({
        payload: { authenticationInfo: { principalSubject: 'user:alice@example.com' } },
      });
      expect(expectSingleAudit(parse(subject)).username).toBe('user:alice@example.com');
      const anonymous = buildGkeEntry({ payload: { authenticationInfo: { authoritySelector: 'system:anonymous' } } });
      expect(expectSingleAudit(parse(anonymous)).username).toBe('system:anonymous');
    });

    it('accepts Panther’s callerIP spelling', () => {
      const entry = buildGkeEntry({ payload: { requestMetadata: { callerIP: '203.0.113.5' } } });
      expect(expectSingleAudit(parse(entry))).toMatchObject({
        sourceIps: ['203.0.113.5'],
        sourceIp: '203.0.113.5',
        userAgent: null,
      });
    });
  });

  describe('time', () => {
    it('falls back to receiveTimestamp', () => {
      expect(expectSingleAudit(parse(buildGkeEntry({ timestamp: undefined }))).time).toBe(
        '2026-03-14T09:26:55.120004311Z',
      );
    });

    it('rejects an entry with no time at all', () => {
      expect(
        expectVerdict(parse(buildGkeEntry({ timestamp: undefined, receiveTimestamp: undefined })), 'rejected'),
      ).toBe('no event time: timestamp and receiveTimestamp are missing');
    });

    it('rejects a zoneless time (Panther’s display format)', () => {
      expect(expectVerdict(parse(buildGkeEntry({ timestamp: '2026-03-14 09:26:53.589' })), 'rejected')).toMatch(
        /^timestamp: not an ISO-8601 time with a timezone/,
      );
    });
  });

  it.each([
    [{ payload: { methodName: 7 } }, 'protoPayload.methodName: expected string, received number'],
    [{ payload: { serviceName: undefined } }, 'protoPayload.serviceName: missing (expected string)'],
    [
      { payload: { status: { code: 'PERMISSION_DENIED' } } },
      'protoPayload.status.code: expected number, received string',
    ],
    [
      { labels: { 'authorization.k8s.io/decision': 1 } },
      'labels["authorization.k8s.io/decision"]: expected string, received number',
    ],
    [{ protoPayload: 'k8s.io' }, 'protoPayload: expected object, received string'],
  ])('rejects wrong types with a path: %j', (overrides, expected) => {
    expect(expectVerdict(parse(buildGkeEntry(overrides)), 'rejected')).toBe(expected);
  });

  it('keeps a <script> user agent verbatim and replaces NUL', () => {
    const entry = buildGkeEntry({
      payload: {
        requestMetadata: { callerIp: '10.0.0.1', callerSuppliedUserAgent: SCRIPT_USER_AGENT },
        authenticationInfo: { principalEmail: 'eve\u0000@example.com' },
      },
    });
    const event = expectSingleAudit(parse(entry));
    expect(event).toMatchObject({ userAgent: SCRIPT_USER_AGENT, username: 'eve\uFFFD@example.com' });
    expect(event.originalText).not.toContain('\\u0000');
  });

  it('parses a whole entries.list response, one outcome per entry', () => {
    const response = {
      entries: [buildGkeEntry(), buildGkeEntry({ payload: { serviceName: 'iam.googleapis.com' } })],
      nextPageToken: 'abc',
    };
    expect(parse(response).map((outcome) => outcome.kind)).toEqual(['audit', 'skipped']);
  });
});
