import { describe, expect, it } from 'vitest';
import { k8sAuditParser } from '../../../lib/ingest/formats/k8s-audit';
import {
  buildAuditEvent,
  buildDeniedAuditEvent,
  contextOf,
  expectedAuditFields,
  expectSingleAudit,
  expectVerdict,
  SCRIPT_USER_AGENT,
} from '../../fixtures/ingest/audit-events';

function parse(record: unknown) {
  return k8sAuditParser.parse(record, contextOf(record));
}

describe('k8s-audit parser', () => {
  it('normalizes every field of a native Event and keeps the exact text as originalText', () => {
    const record = buildAuditEvent();
    const context = contextOf(record);
    const event = expectSingleAudit(k8sAuditParser.parse(record, context));
    expect(event).toEqual({ ...expectedAuditFields, cluster: null, original: record, originalText: context.text });
    expect(event.original).toBe(record);
  });

  it('normalizes a denied request: forbid decision, 403, empty reason as null', () => {
    const event = expectSingleAudit(parse(buildDeniedAuditEvent()));
    expect(event).toMatchObject({
      decision: 'forbid',
      reason: null,
      responseCode: 403,
      username: 'intruder@example.com',
      userUid: null,
      sourceIps: ['203.0.113.9'],
      sourceIp: '203.0.113.9',
      podName: null,
      podUid: null,
      nodeName: null,
    });
  });

  it('takes the last sourceIPs entry as sourceIp and keeps all of them in order', () => {
    const event = expectSingleAudit(parse(buildAuditEvent({ sourceIPs: ['1.1.1.1', '2.2.2.2', '10.0.0.3'] })));
    expect(event.sourceIps).toEqual(['1.1.1.1', '2.2.2.2', '10.0.0.3']);
    expect(event.sourceIp).toBe('10.0.0.3');
  });

  it('has no sourceIp when sourceIPs is absent', () => {
    const event = expectSingleAudit(parse(buildAuditEvent({ sourceIPs: undefined })));
    expect(event.sourceIps).toEqual([]);
    expect(event.sourceIp).toBeNull();
  });

  it('reads the impersonated user and the subresource', () => {
    const event = expectSingleAudit(
      parse(
        buildAuditEvent({
          impersonatedUser: { username: 'system:serviceaccount:kube-system:replicaset-controller' },
          objectRef: { resource: 'pods', subresource: 'exec', namespace: 'payments', name: 'checkout-0' },
        }),
      ),
    );
    expect(event.impersonatedUser).toBe('system:serviceaccount:kube-system:replicaset-controller');
    expect(event.subresource).toBe('exec');
    expect(event.apiVersion).toBeNull();
  });

  it('accepts audit.k8s.io/v1beta1, a missing kind, and null optional fields', () => {
    const event = expectSingleAudit(
      parse(
        buildAuditEvent({
          kind: undefined,
          apiVersion: 'audit.k8s.io/v1beta1',
          user: { username: 'minikube-user', groups: null, extra: null },
          annotations: null,
          objectRef: { resource: 'namespaces', name: 'foo', apiGroup: '' },
        }),
      ),
    );
    expect(event).toMatchObject({ username: 'minikube-user', groups: [], decision: null, apiGroup: null });
  });

  it('keeps a <script> user agent verbatim: it is data, escaping is the renderer’s job', () => {
    const event = expectSingleAudit(parse(buildAuditEvent({ userAgent: SCRIPT_USER_AGENT })));
    expect(event.userAgent).toBe(SCRIPT_USER_AGENT);
  });

  it('replaces NUL and lone surrogates in every string, and in the stored original', () => {
    const record = buildAuditEvent({
      userAgent: 'curl/8.5\u0000evil',
      user: {
        username: 'mallory\u0000',
        groups: ['g\u0000'],
        extra: { 'authentication.kubernetes.io/pod-name': ['pod\uD800x'] },
      },
      objectRef: { resource: 'secrets', namespace: 'ns\u0000', name: 'n\u0000' },
    });
    const context = contextOf(record);
    expect(context.text).toContain('\\u0000');
    const event = expectSingleAudit(k8sAuditParser.parse(record, context));
    expect(event).toMatchObject({
      userAgent: 'curl/8.5\uFFFDevil',
      username: 'mallory\uFFFD',
      groups: ['g\uFFFD'],
      podName: 'pod\uFFFDx',
      namespace: 'ns\uFFFD',
      name: 'n\uFFFD',
    });
    expect(event.originalText).not.toMatch(/\\u0000|\\ud800/i);
    expect(JSON.parse(event.originalText!)).toEqual(event.original);
    expect((event.original as { userAgent: string }).userAgent).toBe('curl/8.5\uFFFDevil');
    expect(record.userAgent).toBe('curl/8.5\u0000evil');
  });

  it('keeps a valid surrogate pair (emoji) untouched', () => {
    const event = expectSingleAudit(parse(buildAuditEvent({ userAgent: 'bot \uD83D\uDE00' })));
    expect(event.userAgent).toBe('bot 😀');
  });

  describe('time', () => {
    it('falls back to stageTimestamp when requestReceivedTimestamp is missing', () => {
      const event = expectSingleAudit(parse(buildAuditEvent({ requestReceivedTimestamp: undefined })));
      expect(event.time).toBe('2026-03-14T09:26:53.594210Z');
      expect(event.completedAt).toBe('2026-03-14T09:26:53.594210Z');
    });

    it('treats Go’s zero time as missing', () => {
      const event = expectSingleAudit(parse(buildAuditEvent({ requestReceivedTimestamp: '0001-01-01T00:00:00Z' })));
      expect(event.time).toBe('2026-03-14T09:26:53.594210Z');
    });

    it('keeps full precision and the offset as given', () => {
      const event = expectSingleAudit(
        parse(buildAuditEvent({ requestReceivedTimestamp: '2026-03-14T10:26:53.589793123+01:00' })),
      );
      expect(event.time).toBe('2026-03-14T10:26:53.589793123+01:00');
    });

    it('rejects an event with neither timestamp', () => {
      const reason = expectVerdict(
        parse(buildAuditEvent({ requestReceivedTimestamp: undefined, stageTimestamp: undefined })),
        'rejected',
      );
      expect(reason).toBe('no event time: requestReceivedTimestamp, stageTimestamp and timestamp are missing');
    });

    it.each([
      ['not a time', 'yesterday'],
      ['no timezone', '2026-03-14 09:26:53.589'],
      ['an impossible day', '2026-02-30T09:26:53Z'],
      ['hour 24', '2026-03-14T24:00:00Z'],
    ])('rejects %s', (_label, value) => {
      const reason = expectVerdict(parse(buildAuditEvent({ requestReceivedTimestamp: value })), 'rejected');
      expect(reason).toBe(`requestReceivedTimestamp: not an ISO-8601 time with a timezone (${JSON.stringify(value)})`);
    });

    it('rejects a timestamp of the wrong type', () => {
      const reason = expectVerdict(parse(buildAuditEvent({ stageTimestamp: 1710408413 })), 'rejected');
      expect(reason).toBe('stageTimestamp: expected string, received number');
    });
  });

  describe('wrong shapes', () => {
    it('rejects Falco’s {"kind": 0} negative case', () => {
      expect(k8sAuditParser.matches({ kind: 0 }, contextOf({ kind: 0 }))).toBe(true);
      expect(expectVerdict(parse({ kind: 0 }), 'rejected')).toBe(
        'not a Kubernetes audit event (kind: expected "Event" or "EventList", received 0)',
      );
    });

    it('rejects an object lacking auditID, stage and verb', () => {
      const reason = expectVerdict(
        parse({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata' }),
        'rejected',
      );
      expect(reason).toBe('not a Kubernetes audit event (missing auditID, stage, verb)');
    });

    it('rejects a core/v1 Event (kubectl get events) with a hint', () => {
      const reason = expectVerdict(
        parse({ kind: 'Event', apiVersion: 'v1', reason: 'Pulled', message: 'Successfully pulled image' }),
        'rejected',
      );
      expect(reason).toMatch(
        /^not a Kubernetes audit event \(apiVersion: expected audit\.k8s\.io\/\*, received "v1": a core\/v1 Event/,
      );
    });

    it.each([
      [{ verb: 7 }, 'verb: expected string, received number'],
      [{ auditID: '' }, 'auditID: must not be empty'],
      [{ sourceIPs: ['10.0.0.1', 42] }, 'sourceIPs[1]: expected string, received number'],
      [{ user: 'alice' }, 'user: expected object, received string'],
      [{ responseStatus: { code: '403' } }, 'responseStatus.code: expected number, received string'],
      [
        { annotations: { 'authorization.k8s.io/decision': true } },
        'annotations["authorization.k8s.io/decision"]: expected string, received boolean',
      ],
    ])('rejects a wrong type with a path: %j', (overrides, expected) => {
      expect(expectVerdict(parse(buildAuditEvent(overrides)), 'rejected')).toBe(expected);
    });

    it('ignores unexpected types in fields it does not read', () => {
      expectSingleAudit(
        parse(buildAuditEvent({ requestObject: 42, metadata: 'x', user: { username: 'u', extra: { other: 1 } } })),
      );
    });
  });

  describe('EventList', () => {
    it('yields one outcome per item, in order, without originalText', () => {
      const good = buildAuditEvent();
      const denied = buildDeniedAuditEvent();
      const list = {
        kind: 'EventList',
        apiVersion: 'audit.k8s.io/v1',
        metadata: {},
        items: [good, { kind: 0 }, denied],
      };
      const outcomes = parse(list);
      expect(outcomes.map((outcome) => outcome.kind)).toEqual(['audit', 'rejected', 'audit']);
      const first = outcomes[0];
      if (first?.kind !== 'audit') throw new Error('expected audit');
      expect(first.event.original).toBe(good);
      expect(first.event.originalText).toBeUndefined();
    });

    it('skips an empty EventList and rejects one whose items is not an array', () => {
      expect(expectVerdict(parse({ kind: 'EventList', items: [] }), 'skipped')).toBe('EventList with no items');
      expect(expectVerdict(parse({ kind: 'EventList', items: {} }), 'rejected')).toBe(
        'EventList items: expected array, received object',
      );
    });
  });

  it('matches native events only', () => {
    const matches = (record: unknown) => k8sAuditParser.matches(record, contextOf(record));
    expect(matches(buildAuditEvent())).toBe(true);
    expect(matches({ apiVersion: 'audit.k8s.io/v1', verb: 'get' })).toBe(true);
    expect(matches({ protoPayload: {} })).toBe(false);
    expect(matches({ message: '{}' })).toBe(false);
    expect(matches([buildAuditEvent()])).toBe(false);
  });
});
