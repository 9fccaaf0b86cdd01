import { describe, expect, it } from 'vitest';
import { aksDiagnosticsParser, readClusterFromResourceId } from '../../../lib/ingest/formats/aks-diagnostics';
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

const RESOURCE_ID =
  '/SUBSCRIPTIONS/0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0/RESOURCEGROUPS/RG-PAYMENTS/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS-Payments-Prod';

/** One Azure Monitor diagnostic record (Event Hub / storage export) carrying an audit event. */
function buildAksRecord(log: unknown, overrides: JsonRecord = {}): JsonRecord {
  return {
    category: 'kube-audit',
    operationName: 'Microsoft.ContainerService/managedClusters/diagnosticLogs/Read',
    properties: {
      log,
      containerID: '9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0',
      pod: 'kube-apiserver-6d8f9c7b5-q4wzx',
      stream: 'stdout',
    },
    resourceId: RESOURCE_ID,
    serviceBuild: 'na',
    time: '2026-03-14T09:26:53.601377Z',
    ...overrides,
  };
}

function parse(record: unknown) {
  return aksDiagnosticsParser.parse(record, contextOf(record));
}

describe('aks-diagnostics parser', () => {
  it('normalizes properties.log given as a JSON string; the log text is the original', () => {
    const log = JSON.stringify(buildAuditEvent());
    const event = expectSingleAudit(parse(buildAksRecord(log)));
    expect(event).toEqual({
      ...expectedAuditFields,
      cluster: 'aks-payments-prod',
      original: JSON.parse(log),
      originalText: log,
    });
  });

  it('normalizes properties.log given as an object (kube-audit-admin), without originalText', () => {
    const log = buildAuditEvent();
    const event = expectSingleAudit(parse(buildAksRecord(log, { category: 'kube-audit-admin' })));
    expect(event).toEqual({ ...expectedAuditFields, cluster: 'aks-payments-prod', original: log });
  });

  it('normalizes a denied request', () => {
    const event = expectSingleAudit(parse(buildAksRecord(JSON.stringify(buildDeniedAuditEvent()))));
    expect(event).toMatchObject({ decision: 'forbid', responseCode: 403, reason: null });
  });

  it('reads the cluster from resourceId case-insensitively, lower-cased', () => {
    expect(readClusterFromResourceId(RESOURCE_ID)).toBe('aks-payments-prod');
    expect(
      readClusterFromResourceId(
        '/subscriptions/x/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/dev',
      ),
    ).toBe('dev');
    expect(readClusterFromResourceId('/subscriptions/x/resourceGroups/rg')).toBeNull();
    expect(readClusterFromResourceId(undefined)).toBeNull();
    expect(
      expectSingleAudit(parse(buildAksRecord(JSON.stringify(buildAuditEvent()), { resourceId: undefined }))).cluster,
    ).toBeNull();
  });

  it.each(['kube-apiserver', 'kube-controller-manager', 'guard', 'cluster-autoscaler'])(
    'skips category %s',
    (category) => {
      const reason = expectVerdict(
        parse(buildAksRecord('I0314 09:26:53.601377 1 controller.go:42] synced', { category })),
        'skipped',
      );
      expect(reason).toBe(`AKS diagnostic category "${category}" is not kube-audit or kube-audit-admin`);
    },
  );

  it('skips an Activity Log record that has no properties', () => {
    const record = { category: 'Administrative', operationName: 'Microsoft.Compute/virtualMachines/write' };
    expect(aksDiagnosticsParser.matches(record, contextOf(record))).toBe(true);
    expect(expectVerdict(parse(record), 'skipped')).toMatch(/^AKS diagnostic category "Administrative"/);
  });

  it('skips a kube-audit log line that is klog text, not JSON', () => {
    const reason = expectVerdict(
      parse(buildAksRecord('W0314 09:26:53.601377 1 audit.go:88] dropped event')),
      'skipped',
    );
    expect(reason).toBe('AKS audit log line is not JSON (klog text), so not an audit event');
  });

  it('rejects a kube-audit log that is broken JSON', () => {
    expect(expectVerdict(parse(buildAksRecord('{"kind":"Event","auditID":')), 'rejected')).toMatch(
      /^properties\.log is not valid JSON: /,
    );
  });

  it.each([
    [buildAksRecord(42), 'properties.log: expected string or object'],
    [buildAksRecord(JSON.stringify(buildAuditEvent({ verb: 7 }))), 'verb: expected string, received number'],
    [
      buildAksRecord(JSON.stringify({ kind: 0 })),
      'not a Kubernetes audit event (kind: expected "Event" or "EventList", received 0)',
    ],
    [buildAksRecord('', { properties: 'log' }), 'properties: expected object, received string'],
  ])('rejects wrong shapes with a reason: %#', (record, expected) => {
    expect(expectVerdict(parse(record), 'rejected')).toBe(expected);
  });

  it('rejects an event without timestamps', () => {
    const log = JSON.stringify(buildAuditEvent({ requestReceivedTimestamp: undefined, stageTimestamp: undefined }));
    expect(expectVerdict(parse(buildAksRecord(log)), 'rejected')).toMatch(/^no event time/);
  });

  it('keeps a <script> user agent, replaces NUL, takes the last source IP', () => {
    const log = JSON.stringify(
      buildAuditEvent({
        userAgent: SCRIPT_USER_AGENT,
        requestURI: '/api\u0000',
        sourceIPs: ['20.1.2.3', '172.31.51.172'],
      }),
    );
    const event = expectSingleAudit(parse(buildAksRecord(log)));
    expect(event).toMatchObject({ userAgent: SCRIPT_USER_AGENT, requestUri: '/api\uFFFD', sourceIp: '172.31.51.172' });
    expect(event.originalText).not.toContain('\\u0000');
  });

  it('parses a whole {"records": [...]} export', () => {
    const document = {
      records: [
        buildAksRecord(JSON.stringify(buildAuditEvent())),
        buildAksRecord('I0314 klog', { category: 'kube-scheduler' }),
        buildAksRecord(buildDeniedAuditEvent(), { category: 'kube-audit-admin' }),
      ],
    };
    expect(parse(document).map((outcome) => outcome.kind)).toEqual(['audit', 'skipped', 'audit']);
  });
});
