import { describe, expect, it } from 'vitest';
import { eksCloudWatchParser } from '../../../lib/ingest/formats/eks-cloudwatch';
import {
  buildAuditEvent,
  buildDeniedAuditEvent,
  contextOf,
  expectedAuditFields,
  expectSingleAudit,
  expectVerdict,
  SCRIPT_USER_AGENT,
  type JsonRecord,
} from '../../fixtures/ingest/audit-events';

const LOG_STREAM = 'kube-apiserver-audit-0b5f2c9d8e7a6b5c4d3e2f1a0b9c8d7e';

/** One element of `aws logs filter-log-events` output. */
function buildFilterLogEvent(message: string, extra: JsonRecord = {}): JsonRecord {
  return {
    logStreamName: LOG_STREAM,
    timestamp: 1773480413594,
    message,
    ingestionTime: 1773480415120,
    eventId: '38476203956294871029384756102938475610293847561029384756',
    ...extra,
  };
}

function parse(record: unknown, container: string | null = null) {
  return eksCloudWatchParser.parse(record, contextOf(record, container));
}

describe('eks-cloudwatch parser', () => {
  it('normalizes a filter-log-events element: the message is the Event, the envelope is dropped', () => {
    const message = JSON.stringify(buildAuditEvent());
    const event = expectSingleAudit(parse(buildFilterLogEvent(message), 'events'));
    expect(event).toEqual({
      ...expectedAuditFields,
      cluster: null,
      original: JSON.parse(message),
      originalText: message,
    });
  });

  it('normalizes a denied request', () => {
    const event = expectSingleAudit(parse(buildFilterLogEvent(JSON.stringify(buildDeniedAuditEvent()))));
    expect(event).toMatchObject({ decision: 'forbid', responseCode: 403, username: 'intruder@example.com' });
  });

  it('reads the cluster from the log group when the record carries it', () => {
    const message = JSON.stringify(buildAuditEvent());
    expect(
      expectSingleAudit(parse(buildFilterLogEvent(message, { logGroup: '/aws/eks/prod-eu-1/cluster' }))).cluster,
    ).toBe('prod-eu-1');
    expect(
      expectSingleAudit(parse(buildFilterLogEvent(message, { logGroupName: '/aws/eks/staging/cluster' }))).cluster,
    ).toBe('staging');
    expect(
      expectSingleAudit(parse(buildFilterLogEvent(message, { logGroup: '/aws/lambda/other' }))).cluster,
    ).toBeNull();
  });

  it('accepts a Logs Insights row (@message, @log with the account prefix)', () => {
    const message = JSON.stringify(buildAuditEvent());
    const row = { '@message': message, '@log': '111122223333:/aws/eks/prod-eu-1/cluster', '@logStream': LOG_STREAM };
    expect(eksCloudWatchParser.matches(row, contextOf(row))).toBe(true);
    expect(expectSingleAudit(parse(row)).cluster).toBe('prod-eu-1');
  });

  it('accepts a subscription logEvents element', () => {
    const element = {
      id: '3847620395629487102938475610',
      timestamp: 1773480413594,
      message: JSON.stringify(buildAuditEvent()),
    };
    expect(expectSingleAudit(parse(element, 'logEvents')).auditId).toBe(expectedAuditFields.auditId);
  });

  it('parses a whole subscription envelope, taking the cluster from its logGroup', () => {
    const envelope = {
      messageType: 'DATA_MESSAGE',
      owner: '111122223333',
      logGroup: '/aws/eks/prod-eu-1/cluster',
      logStream: LOG_STREAM,
      subscriptionFilters: ['to-vigil'],
      logEvents: [
        { id: '1', timestamp: 1773480413594, message: JSON.stringify(buildAuditEvent()) },
        { id: '2', timestamp: 1773480413595, message: JSON.stringify(buildDeniedAuditEvent()) },
      ],
    };
    const outcomes = parse(envelope);
    expect(outcomes).toHaveLength(2);
    expect(
      outcomes.map((outcome) => (outcome.kind === 'audit' ? [outcome.event.cluster, outcome.event.decision] : null)),
    ).toEqual([
      ['prod-eu-1', 'allow'],
      ['prod-eu-1', 'forbid'],
    ]);
  });

  it('parses a whole filter-log-events document', () => {
    const document = {
      events: [buildFilterLogEvent(JSON.stringify(buildAuditEvent())), buildFilterLogEvent('not json')],
      searchedLogStreams: [],
    };
    expect(parse(document).map((outcome) => outcome.kind)).toEqual(['audit', 'skipped']);
  });

  it('skips a subscription control message', () => {
    const control = {
      messageType: 'CONTROL_MESSAGE',
      owner: 'CloudwatchLogs',
      logGroup: '',
      logStream: '',
      subscriptionFilters: [],
      logEvents: [
        { id: '', timestamp: 1773480413594, message: 'CWL CONTROL MESSAGE: Checking health of destination Firehose.' },
      ],
    };
    expect(expectVerdict(parse(control), 'skipped')).toBe('CloudWatch Logs subscription control message');
    const element = control.logEvents[0];
    expect(expectVerdict(parse(element, 'logEvents'), 'skipped')).toBe('CloudWatch Logs subscription control message');
  });

  it('rejects a message CloudWatch truncated', () => {
    const message = `${JSON.stringify(buildAuditEvent()).slice(0, 9_000)}[Truncated...]`;
    expect(expectVerdict(parse(buildFilterLogEvent(message)), 'rejected')).toBe(
      'CloudWatch truncated this message at 10,000 characters ([Truncated...])',
    );
  });

  it('skips non-JSON messages from the other control-plane log streams', () => {
    const authenticator =
      'time="2026-03-14T09:26:53Z" level=info msg="access granted" arn="arn:aws:iam::111122223333:role/dev" uid="heptio-authenticator-aws:111122223333:AROAEXAMPLE"';
    const reason = expectVerdict(
      parse(buildFilterLogEvent(authenticator, { logStreamName: 'authenticator-abc' })),
      'skipped',
    );
    expect(reason).toMatch(/^CloudWatch message is not JSON, so not an audit event \(starts "time=/);
  });

  it('skips JSON messages that are not audit events', () => {
    const reason = expectVerdict(parse(buildFilterLogEvent('{"level":"info","msg":"leader elected"}')), 'skipped');
    expect(reason).toBe('CloudWatch message is JSON but not a Kubernetes audit event');
  });

  it('rejects a broken JSON message that was meant to be an audit event', () => {
    const reason = expectVerdict(
      parse(buildFilterLogEvent('{"kind":"Event","apiVersion":"audit.k8s.io/v1",')),
      'rejected',
    );
    expect(reason).toMatch(/^CloudWatch message is not valid JSON: /);
  });

  it.each([
    [buildFilterLogEvent('', { message: 12 }), 'message: expected string, received number'],
    [buildFilterLogEvent(JSON.stringify(buildAuditEvent({ verb: 7 }))), 'verb: expected string, received number'],
    [
      buildFilterLogEvent(JSON.stringify({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata' })),
      'not a Kubernetes audit event (missing auditID, stage, verb)',
    ],
  ])('rejects wrong types with a reason: %#', (record, expected) => {
    expect(expectVerdict(parse(record), 'rejected')).toBe(expected);
  });

  it('rejects a message whose event has no timestamps', () => {
    const message = JSON.stringify(buildAuditEvent({ requestReceivedTimestamp: undefined, stageTimestamp: undefined }));
    expect(expectVerdict(parse(buildFilterLogEvent(message)), 'rejected')).toMatch(/^no event time/);
  });

  it('keeps a <script> user agent, replaces NUL, takes the last source IP', () => {
    const message = JSON.stringify(
      buildAuditEvent({
        userAgent: SCRIPT_USER_AGENT,
        user: { username: 'eve\u0000' },
        sourceIPs: ['6.6.6.6', '10.1.2.3'],
      }),
    );
    expect(message).toContain('\\u0000');
    const event = expectSingleAudit(parse(buildFilterLogEvent(message)));
    expect(event).toMatchObject({ userAgent: SCRIPT_USER_AGENT, username: 'eve\uFFFD', sourceIp: '10.1.2.3' });
    expect(event.originalText).not.toContain('\\u0000');
  });

  it('unwraps an EventList inside a message', () => {
    const message = JSON.stringify({ kind: 'EventList', items: [buildAuditEvent(), buildDeniedAuditEvent()] });
    expect(parse(buildFilterLogEvent(message)).map((outcome) => outcome.kind)).toEqual(['audit', 'audit']);
  });

  it('matches CloudWatch shapes but not ECS documents that also carry a message', () => {
    const matches = (record: unknown) => eksCloudWatchParser.matches(record, contextOf(record));
    expect(matches(buildFilterLogEvent('x'))).toBe(true);
    expect(matches({ messageType: 'DATA_MESSAGE', logEvents: [] })).toBe(true);
    expect(matches({ events: [] })).toBe(true);
    expect(matches({ '@timestamp': '2026-03-14T09:26:53Z', message: 'GET /healthz 200' })).toBe(false);
  });
});
