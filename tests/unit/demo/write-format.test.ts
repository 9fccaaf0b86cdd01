import { describe, expect, it } from 'vitest';
import { generateScenario } from '../../../lib/demo/generate-scenario';
import type { K8sAuditEvent } from '../../../lib/demo/types';
import { stringifyAuditEvent, WRITE_LAYOUTS, writeScenario, type WriteOptions } from '../../../lib/demo/write-format';
import type { IngestFormat } from '../../../lib/ingest/types';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const scenario = generateScenario({ seed: 21, events: 3000, hours: 2, cluster: 'demo-cluster' });
const native = [...scenario.auditEvents()];
const nativeFiles = [...scenario.fileEvents()];

function text(format: IngestFormat, options: WriteOptions = {}): string {
  return [...writeScenario(scenario, format, options)].join('');
}

function lines(format: IngestFormat, options: WriteOptions = {}): Json[] {
  const body = text(format, options);
  expect(body.endsWith('\n')).toBe(true);
  return body
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as Json);
}

const key = (event: K8sAuditEvent) => `${event.auditID}/${event.stage}`;
const decision = (event: K8sAuditEvent) => event.annotations?.['authorization.k8s.io/decision'];

/** §0's reading of a GKE resourceName, as the Panther data model does it. */
function readGkeResourceName(resourceName: string) {
  const parts = resourceName.split('/');
  return {
    namespace: parts[2] === 'namespaces' ? parts[3] : undefined,
    resource: parts.length >= 5 ? parts[4] : parts[2],
    name: parts.length >= 6 ? parts[5] : parts.length >= 4 ? parts[3] : undefined,
  };
}

describe('writeScenario', () => {
  it('serializes audit events exactly as JSON.stringify does', () => {
    for (const event of native) expect(stringifyAuditEvent(event)).toBe(JSON.stringify(event));
  });

  it('streams ~64 KB chunks', () => {
    const chunks = [...writeScenario(scenario, 'k8s-audit')];
    expect(chunks.length).toBeGreaterThan(10);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.length).toBeGreaterThanOrEqual(1 << 16);
  });

  it('k8s-audit: NDJSON of Events, one EventList document, or EventList batches', () => {
    expect(lines('k8s-audit')).toEqual(native);
    const list = JSON.parse(text('k8s-audit', { layout: 'document' })) as Json;
    expect(list).toMatchObject({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1' });
    expect(list.items).toEqual(native);
    const batches = lines('k8s-audit', { layout: 'batches', batchSize: 250 });
    expect(batches).toHaveLength(Math.ceil(native.length / 250));
    for (const batch of batches) expect(batch.kind).toBe('EventList');
    expect(batches.flatMap((batch) => batch.items)).toEqual(native);
  });

  it('eks-cloudwatch: CloudWatch export lines, filter-log-events output, subscription messages', () => {
    const exported = lines('eks-cloudwatch');
    expect(exported.map((line) => JSON.parse(line.message as string))).toEqual(native);
    exported.forEach((line, index) => {
      expect(Object.keys(line)).toEqual(['timestamp', 'message', 'logStreamName']);
      expect(line.logStreamName).toMatch(/^kube-apiserver-audit-[0-9a-f]{32}$/);
      expect(line.timestamp).toBe(Date.parse(`${native[index]!.stageTimestamp.slice(0, 23)}Z`));
    });
    expect(new Set(exported.map((line) => line.logStreamName)).size).toBe(2);

    const output = JSON.parse(text('eks-cloudwatch', { layout: 'document' })) as Json;
    expect(output.events.map((event: Json) => JSON.parse(event.message))).toEqual(native);
    expect(output.events[0]).toMatchObject({
      eventId: expect.stringMatching(/^\d{56}$/),
      ingestionTime: expect.any(Number),
    });
    expect(output.searchedLogStreams).toHaveLength(2);

    const messages = lines('eks-cloudwatch', { layout: 'batches', batchSize: 400 });
    const streamOf = new Map<string, string>();
    for (const message of messages) {
      expect(message).toMatchObject({
        messageType: 'DATA_MESSAGE',
        logGroup: '/aws/eks/demo-cluster/cluster',
        owner: '123456789012',
      });
      expect(message.logEvents.length).toBeLessThanOrEqual(400);
      for (const logEvent of message.logEvents) {
        const event = JSON.parse(logEvent.message) as K8sAuditEvent;
        // Every stage of a request comes from the same apiserver's stream.
        expect(streamOf.get(event.auditID) ?? message.logStream).toBe(message.logStream);
        streamOf.set(event.auditID, message.logStream);
      }
    }
    const delivered = messages.flatMap((message) =>
      message.logEvents.map((logEvent: Json) => JSON.parse(logEvent.message)),
    );
    expect(delivered.map(key).sort()).toEqual(native.map(key).sort());
  });

  it('gke-cloud-audit: Cloud Audit Log entries, the inverse of the §0 mapping', () => {
    const entries = lines('gke-cloud-audit');
    expect(entries).toHaveLength(native.length);
    let checkedSecretGet = false;
    entries.forEach((entry, index) => {
      const event = native[index]!;
      const payload = entry.protoPayload as Json;
      expect(payload.serviceName).toBe('k8s.io');
      expect(payload.methodName.split('.').at(-1)).toBe(event.verb);
      expect(payload.authenticationInfo.principalEmail).toBe(event.user.username);
      expect(payload.requestMetadata).toEqual({
        callerIp: event.sourceIPs.at(-1),
        callerSuppliedUserAgent: event.userAgent,
      });
      expect(entry.operation.id).toBe(event.auditID);
      expect(entry.timestamp).toBe(event.requestReceivedTimestamp);
      expect(entry.resource.labels.cluster_name).toBe('demo-cluster');
      expect(entry.labels?.['authorization.k8s.io/decision']).toBe(decision(event));
      const code = event.responseStatus?.code;
      if (code === undefined) expect(payload.status).toBeUndefined();
      else if (code < 400) expect(payload.status).toEqual({ code: 0 });
      else if (code === 403) expect(payload.status).toEqual({ code: 7, message: 'PERMISSION_DENIED' });
      // Name-less requests hit §0's quirk (the namespace reads as the name); named ones map back exactly.
      if (event.objectRef?.name && !event.objectRef.subresource) {
        const read = readGkeResourceName(payload.resourceName);
        expect(read.resource).toBe(event.objectRef.resource);
        expect(read.namespace).toBe(event.objectRef.namespace);
        expect(read.name).toBe(event.objectRef.name);
      }
      if (event.verb === 'get' && event.objectRef?.resource === 'secrets' && event.objectRef.namespace) {
        expect(payload.methodName).toBe('io.k8s.core.v1.secrets.get');
        expect(payload.resourceName).toBe(
          `core/v1/namespaces/${event.objectRef.namespace}/secrets/${event.objectRef.name}`,
        );
        checkedSecretGet = true;
      }
      const previous = native[index - 1];
      expect(entry.operation.first).toBe(previous?.auditID !== event.auditID);
      expect(entry.operation.last).toBe(event.stage === 'ResponseComplete');
    });
    expect(checkedSecretGet).toBe(true);
    const lease = entries.find((entry) => entry.protoPayload.methodName === 'io.k8s.coordination.v1.leases.update');
    expect(lease?.protoPayload.resourceName).toMatch(/^coordination\.k8s\.io\/v1\/namespaces\/[^/]+\/leases\/[^/]+$/);
    const probe = entries.find((entry) => entry.protoPayload.methodName === 'io.k8s.get');
    expect(probe?.protoPayload.resourceName).toMatch(/^(readyz|livez|healthz)$/);
    expect(JSON.parse(text('gke-cloud-audit', { layout: 'document' }))).toHaveLength(native.length);
  });

  it('aks-diagnostics: Azure Monitor records with the Event as a JSON string', () => {
    const records = lines('aks-diagnostics');
    expect(records.map((record) => JSON.parse(record.properties.log))).toEqual(native);
    for (const record of records.slice(0, 50)) {
      expect(record).toMatchObject({
        category: 'kube-audit',
        operationName: 'Microsoft.ContainerService/managedClusters/diagnosticLogs/Read',
        properties: { stream: 'stdout', pod: expect.stringMatching(/^kube-apiserver-/) },
      });
      expect(record.resourceId).toMatch(
        /^\/SUBSCRIPTIONS\/[0-9A-F-]{36}\/RESOURCEGROUPS\/.+\/MANAGEDCLUSTERS\/DEMO-CLUSTER$/,
      );
      expect(record.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    }
    const document = JSON.parse(text('aks-diagnostics', { layout: 'document' })) as Json;
    expect(document.records.map((record: Json) => JSON.parse(record.properties.log))).toEqual(native);
    const batches = lines('aks-diagnostics', { layout: 'batches', batchSize: 1000 });
    expect(batches.flatMap((batch) => batch.records.map((record: Json) => JSON.parse(record.properties.log)))).toEqual(
      native,
    );
  });

  it('elastic-audit: documents as the kubernetes integration indexes them', () => {
    const documents = lines('elastic-audit');
    documents.forEach((document, index) => {
      const event = native[index]!;
      const audit = document.kubernetes.audit as Json;
      expect(audit.auditID).toBe(event.auditID);
      expect(audit.stage).toBe(event.stage);
      expect(audit.user).toEqual(event.user);
      expect(audit.objectRef).toEqual(event.objectRef);
      expect(document.event.action).toBe(event.verb);
      expect(document.event.dataset).toBe('kubernetes.audit_logs');
      expect(document.data_stream.dataset).toBe('kubernetes.audit_logs');
      expect(document.user.name).toBe(event.user.username);
      expect(document.source.ip).toEqual(event.sourceIPs);
      expect(document.user_agent.original).toBe(event.userAgent);
      expect(document.orchestrator.cluster.name).toBe('demo-cluster');
      expect(audit.annotations?.['authorization_k8s_io/decision']).toBe(decision(event));
      expect(document.event.outcome).toBe(
        decision(event) === undefined ? undefined : decision(event) === 'allow' ? 'success' : 'failure',
      );
      expect(Date.parse(document['@timestamp'])).toBe(Date.parse(`${event.stageTimestamp.slice(0, 23)}Z`));
      if (event.responseStatus) expect(audit.responseStatus.code).toBe(event.responseStatus.code);
    });
    const bound = documents.find((document) => document.kubernetes.audit.user.extra);
    expect(bound?.kubernetes.audit.user.extra['authentication.kubernetes.io/pod-name']).toHaveLength(1);
    expect(JSON.parse(text('elastic-audit', { layout: 'document' }))).toHaveLength(native.length);
  });

  it('file-events: the Defend for Containers documents, nothing else', () => {
    expect(lines('file-events')).toEqual(nativeFiles);
    expect(JSON.parse(text('file-events', { layout: 'document' }))).toEqual(nativeFiles);
  });

  it('refuses layouts a format does not have', () => {
    for (const format of Object.keys(WRITE_LAYOUTS) as IngestFormat[]) {
      if (!WRITE_LAYOUTS[format].includes('batches')) {
        expect(() => [...writeScenario(scenario, format, { layout: 'batches' })]).toThrow(/has no "batches" layout/);
      }
    }
    expect(() => [...writeScenario(scenario, 'k8s-audit', { layout: 'batches', batchSize: 0 })]).toThrow(/batchSize/);
  });
});
