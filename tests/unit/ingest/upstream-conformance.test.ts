import { stagesOf } from '../../../lib/events/request-stages';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRecord } from '../../../lib/ingest/detect-format';
import type { IngestFormat, NormalizedAuditEvent, RecordOutcome } from '../../../lib/ingest/types';

// Real public samples (Falco, Elastic, Panther) live beside the repository, never inside it (licenses);
// see shared/fixtures/upstream/SOURCES.md. Without them this suite says so instead of passing silently.
const UPSTREAM = path.resolve(import.meta.dirname, '../../../../shared/fixtures/upstream');
const upstreamPresent = existsSync(UPSTREAM);

// js-yaml ships no types and is only here through eslint and graphile-worker; the Panther rules are YAML.
const loadModule = createRequire(import.meta.url);

type Json = Record<string, unknown>;

function readPath(value: unknown, ...keys: string[]): unknown {
  let node = value;
  for (const key of keys) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = (node as Json)[key];
  }
  return node;
}

function asString(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? (value as string[]) : [];
}

function readUpstream(...parts: string[]): string {
  return readFileSync(path.join(UPSTREAM, ...parts), 'utf8');
}

function listFiles(directory: string, suffix: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith(suffix))
    .sort()
    .map((file) => path.join(directory, file));
}

function parseText(text: string, container: string | null = null) {
  return parseRecord(JSON.parse(text), { text, container }, 'auto');
}

function parseValue(value: unknown) {
  return parseRecord(value, { text: JSON.stringify(value), container: null }, 'auto');
}

/** The contract every record must honour: a known outcome, and a reason whenever it is not data. */
function expectWellFormedOutcomes(outcomes: RecordOutcome[]) {
  expect(outcomes.length).toBeGreaterThan(0);
  for (const outcome of outcomes) {
    expect(['audit', 'file', 'skipped', 'rejected']).toContain(outcome.kind);
    if (outcome.kind === 'skipped' || outcome.kind === 'rejected') expect(outcome.reason.trim()).not.toBe('');
  }
}

function onlyAudit(outcomes: RecordOutcome[], label: string): NormalizedAuditEvent {
  expect(outcomes, label).toHaveLength(1);
  const [outcome] = outcomes;
  if (outcome?.kind !== 'audit') throw new Error(`${label}: expected audit, got ${JSON.stringify(outcome)}`);
  return outcome.event;
}

/** Every normalized field that has a direct counterpart in a native audit.k8s.io Event. */
function expectNativeMapping(raw: unknown, event: NormalizedAuditEvent, label: string) {
  const sourceIps = asStrings(readPath(raw, 'sourceIPs'));
  expect(
    {
      auditId: event.auditId,
      stage: stagesOf(event)[0],
      verb: event.verb,
      level: event.level,
      username: event.username,
      userUid: event.userUid,
      groups: event.groups,
      userAgent: event.userAgent,
      sourceIps: event.sourceIps,
      sourceIp: event.sourceIp,
      resource: event.resource,
      subresource: event.subresource,
      namespace: event.namespace,
      name: event.name,
      apiGroup: event.apiGroup,
      apiVersion: event.apiVersion,
      requestUri: event.requestUri,
      responseCode: event.responseCode,
      decision: event.decision,
      reason: event.reason,
      podName: event.podName,
      impersonatedUser: event.impersonatedUser,
      time: event.time,
    },
    label,
  ).toEqual({
    auditId: readPath(raw, 'auditID'),
    stage: readPath(raw, 'stage'),
    verb: readPath(raw, 'verb'),
    level: asString(readPath(raw, 'level')),
    username: asString(readPath(raw, 'user', 'username')),
    userUid: asString(readPath(raw, 'user', 'uid')),
    groups: asStrings(readPath(raw, 'user', 'groups')),
    userAgent: asString(readPath(raw, 'userAgent')),
    sourceIps,
    sourceIp: sourceIps.at(-1) ?? null,
    resource: asString(readPath(raw, 'objectRef', 'resource')),
    subresource: asString(readPath(raw, 'objectRef', 'subresource')),
    namespace: asString(readPath(raw, 'objectRef', 'namespace')),
    name: asString(readPath(raw, 'objectRef', 'name')),
    apiGroup: asString(readPath(raw, 'objectRef', 'apiGroup')),
    apiVersion: asString(readPath(raw, 'objectRef', 'apiVersion')),
    requestUri: asString(readPath(raw, 'requestURI')),
    responseCode: readPath(raw, 'responseStatus', 'code') ?? null,
    decision: asString(readPath(raw, 'annotations', 'authorization.k8s.io/decision')),
    reason: asString(readPath(raw, 'annotations', 'authorization.k8s.io/reason')),
    podName: asString(asStrings(readPath(raw, 'user', 'extra', 'authentication.kubernetes.io/pod-name'))[0]),
    impersonatedUser: asString(readPath(raw, 'impersonatedUser', 'username')),
    time: asString(readPath(raw, 'requestReceivedTimestamp')) ?? readPath(raw, 'stageTimestamp'),
  });
}

const GRPC_TO_HTTP: Record<number, number> = {
  0: 200,
  3: 400,
  5: 404,
  6: 409,
  7: 403,
  8: 429,
  13: 500,
  14: 503,
  16: 401,
};

/** detections-upstream.md §0 (Panther's GKE data model), with the one deliberate difference noted inside. */
function expectGkeMapping(entry: unknown, event: NormalizedAuditEvent, label: string) {
  const payload = readPath(entry, 'protoPayload');
  const methodName = String(readPath(payload, 'methodName'));
  const callerIp =
    asString(readPath(payload, 'requestMetadata', 'callerIp')) ??
    asString(readPath(payload, 'requestMetadata', 'callerIP'));
  const code = readPath(payload, 'status', 'code');
  const expected: Partial<NormalizedAuditEvent> = {
    verb: methodName.split('.').at(-1),
    username:
      asString(readPath(payload, 'authenticationInfo', 'principalEmail')) ??
      asString(readPath(payload, 'authenticationInfo', 'principalSubject')) ??
      asString(readPath(payload, 'authenticationInfo', 'authoritySelector')),
    sourceIps: callerIp === null ? [] : [callerIp],
    userAgent: asString(readPath(payload, 'requestMetadata', 'callerSuppliedUserAgent')),
    responseCode: typeof code === 'number' ? (GRPC_TO_HTTP[code] ?? 500) : 200,
    decision: asString(readPath(entry, 'labels', 'authorization.k8s.io/decision')),
    cluster: asString(readPath(entry, 'resource', 'labels', 'cluster_name')),
  };
  const resourceName = asString(readPath(payload, 'resourceName'))?.replace(/^\/+/, '');
  const parts = resourceName?.split('/') ?? [];
  if (parts.length >= 3) {
    expected.namespace = parts[2] === 'namespaces' ? parts[3] : null;
    expected.resource = parts.length >= 5 ? parts[4] : parts[2];
    expected.name = parts.length >= 6 ? parts[5] : parts.length >= 4 ? (parts[3] ?? null) : null;
    // Deliberate difference: a namespaced collection (a list) has no name, where Panther returns the namespace.
    if (parts.length === 5 && parts[2] === 'namespaces') expected.name = null;
    expected.requestUri = `/apis/${resourceName}`;
  }
  expect(event, label).toMatchObject(expected);
}

type PantherTest = { rule: string; name: string; log: Json };

function loadPantherTests(): PantherTest[] {
  const yaml = loadModule('js-yaml') as { load(text: string): unknown };
  return listFiles(path.join(UPSTREAM, 'panther/rules'), '.yml').flatMap((file) => {
    const tests = readPath(yaml.load(readFileSync(file, 'utf8')), 'Tests');
    return (Array.isArray(tests) ? tests : []).map((test: unknown) => ({
      rule: path.basename(file),
      name: String(readPath(test, 'Name')),
      log: readPath(test, 'Log') as Json,
    }));
  });
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Panther's test logs omit what its rules ignore (auditID, stage, times); fill only those gaps. */
function completeNativeEvent(raw: Json, index: number): Json {
  const time = asString(raw.requestReceivedTimestamp);
  return {
    ...raw,
    auditID: raw.auditID ?? `conformance-${index}`,
    stage: raw.stage ?? 'ResponseComplete',
    requestReceivedTimestamp: time !== null && RFC3339.test(time) ? time : '2026-01-01T00:00:00Z',
    stageTimestamp: undefined,
  };
}

function completePantherLog(log: Json, index: number): Json {
  if ('protoPayload' in log) {
    const timestamp = asString(log.timestamp);
    return {
      ...log,
      insertId: log.insertId ?? `conformance-${index}`,
      timestamp: timestamp !== null && RFC3339.test(timestamp) ? timestamp : '2026-01-01T00:00:00Z',
      receiveTimestamp: undefined,
    };
  }
  const aksLog = readPath(log, 'properties', 'log');
  if (typeof aksLog === 'string') {
    const inner = completeNativeEvent(JSON.parse(aksLog) as Json, index);
    return { ...log, properties: { ...(log.properties as Json), log: JSON.stringify(inner) } };
  }
  return 'kind' in log ? completeNativeEvent(log, index) : log;
}

const PANTHER_FORMATS: Record<string, IngestFormat> = {
  'Amazon.EKS.Audit': 'k8s-audit',
  'Azure.MonitorActivity': 'aks-diagnostics',
  'GCP.AuditLog': 'gke-cloud-audit',
};

// Registered, not skipped: without ../shared the run says so instead of counting skipped tests.
if (!upstreamPresent)
  it('has no upstream conformance to run: shared/fixtures/upstream is absent', () => {
    expect(existsSync(UPSTREAM)).toBe(false);
  });

if (upstreamPresent)
  describe('upstream conformance', () => {
    describe('Falco k8s_audit trace files (NDJSON)', () => {
      const files = upstreamPresent ? listFiles(path.join(UPSTREAM, 'falco/k8s_audit_trace_files'), '.json') : [];

      it('has the trace files', () => {
        expect(files.length).toBeGreaterThanOrEqual(40);
      });

      it('normalizes every Event line and rejects the {"kind": 0} negative case', () => {
        let events = 0;
        for (const file of files) {
          const lines = readFileSync(file, 'utf8')
            .split('\n')
            .filter((line) => line.trim() !== '');
          for (const [index, line] of lines.entries()) {
            const label = `${path.basename(file)}:${index + 1}`;
            const { format, outcomes } = parseText(line);
            expectWellFormedOutcomes(outcomes);
            expect(format, label).toBe('k8s-audit');
            if (path.basename(file) === 'fal_01_003.json') {
              expect(outcomes, label).toEqual([
                {
                  kind: 'rejected',
                  reason: 'not a Kubernetes audit event (kind: expected "Event" or "EventList", received 0)',
                  // Not an audit event at all: a file of these is of no supported format, as Falco says.
                  notOfFormat: true,
                },
              ]);
              continue;
            }
            const event = onlyAudit(outcomes, label);
            expectNativeMapping(JSON.parse(line), event, label);
            expect(event.originalText).toBe(line);
            events++;
          }
        }
        expect(events).toBeGreaterThanOrEqual(50);
      });
    });

    describe('Elastic kubernetes.audit_logs pipeline tests', () => {
      it('normalizes test-audit.log: native events, a GKE entry and an AKS record with an object log', () => {
        const lines = readUpstream('elastic-integrations/kubernetes/audit_logs/test-audit.log')
          .split('\n')
          .filter(Boolean);
        const formats = lines.map((line, index) => {
          const label = `test-audit.log:${index + 1}`;
          const raw = JSON.parse(line) as Json;
          const { format, outcomes } = parseText(line);
          expectWellFormedOutcomes(outcomes);
          const event = onlyAudit(outcomes, label);
          if (format === 'k8s-audit') expectNativeMapping(raw, event, label);
          if (format === 'aks-diagnostics') {
            expectNativeMapping(readPath(raw, 'properties', 'log'), event, label);
            expect(event.cluster).toBe('test-aks');
          }
          if (format === 'gke-cloud-audit') {
            expectGkeMapping(raw, event, label);
            expect(event).toMatchObject({ auditId: '1234abcd', requestUri: '/readyz', cluster: 'test-cluster' });
          }
          return format;
        });
        expect(formats).toEqual(['k8s-audit', 'k8s-audit', 'k8s-audit', 'gke-cloud-audit', 'aks-diagnostics']);
      });

      it('agrees with Elastic’s ECS output for test-kube-audit.log, and reads that output back the same', () => {
        const line = readUpstream('elastic-integrations/kubernetes/audit_logs/test-kube-audit.log').trim();
        const [ecs] = (
          JSON.parse(readUpstream('elastic-integrations/kubernetes/audit_logs/test-kube-audit.log-expected.json')) as {
            expected: Json[];
          }
        ).expected;
        const fromRaw = parseText(line);
        expect(fromRaw.format).toBe('aks-diagnostics');
        const event = onlyAudit(fromRaw.outcomes, 'test-kube-audit.log');
        const audit = readPath(ecs, 'kubernetes', 'audit');
        expect(event).toMatchObject({
          verb: readPath(ecs, 'event', 'action'),
          username: readPath(ecs, 'user', 'name'),
          sourceIps: readPath(ecs, 'source', 'ip'),
          userAgent: readPath(ecs, 'user_agent', 'original'),
          decision: readPath(audit, 'annotations', 'authorization_k8s_io/decision'),
          auditId: readPath(audit, 'auditID'),
          level: readPath(audit, 'level'),
          time: readPath(audit, 'requestReceivedTimestamp'),
          completedAt: readPath(audit, 'stageTimestamp'),
          groups: readPath(audit, 'user', 'groups'),
          requestUri: readPath(audit, 'requestURI'),
          responseCode: readPath(audit, 'responseStatus', 'code'),
          resource: readPath(ecs, 'orchestrator', 'resource', 'type'),
          name: readPath(ecs, 'orchestrator', 'resource', 'name'),
          namespace: readPath(ecs, 'orchestrator', 'namespace'),
          apiGroup: readPath(audit, 'objectRef', 'apiGroup'),
          apiVersion: readPath(audit, 'objectRef', 'apiVersion'),
          cluster: 'test-cluster',
        });
        expect(readPath(ecs, 'event', 'outcome')).toBe(event.decision === 'allow' ? 'success' : 'failure');

        const fromEcs = parseValue(ecs);
        expect(fromEcs.format).toBe('elastic-audit');
        const strip = ({
          cluster: _cluster,
          original: _original,
          originalText: _text,
          ...fields
        }: NormalizedAuditEvent) => fields;
        expect(strip(onlyAudit(fromEcs.outcomes, 'expected.json'))).toEqual(strip(event));
      });

      it('normalizes the stored sample_event.json ECS document', () => {
        const text = readUpstream('elastic-integrations/kubernetes/audit_logs/sample_event.json');
        const { format, outcomes } = parseText(text);
        expect(format).toBe('elastic-audit');
        const raw = readPath(JSON.parse(text), 'kubernetes', 'audit') as Json;
        const event = onlyAudit(outcomes, 'sample_event.json');
        expectNativeMapping(
          {
            ...raw,
            annotations: {
              'authorization.k8s.io/decision': 'allow',
              'authorization.k8s.io/reason': readPath(raw, 'annotations', 'authorization_k8s_io/reason'),
            },
          },
          event,
          'sample_event.json',
        );
      });

      it('skips the Defend for Containers alert sample: a process alert, not a file event', () => {
        const { format, outcomes } = parseText(
          readUpstream('elastic-integrations/cloud_defend/alerts-sample_event.json'),
        );
        expectWellFormedOutcomes(outcomes);
        expect(format).toBe('file-events');
        expect(outcomes).toEqual([{ kind: 'skipped', reason: 'ECS event of category "process", not a file event' }]);
      });
    });

    describe('Panther rule tests (EKS, AKS, GKE logs)', () => {
      const tests = upstreamPresent ? loadPantherTests() : [];

      it('has the rule tests', () => {
        expect(tests.length).toBeGreaterThanOrEqual(150);
      });

      it('gives every log, as published, a well-formed outcome from the parser for its log type', () => {
        for (const test of tests) {
          const label = `${test.rule} / ${test.name}`;
          const { format, outcomes } = parseValue(test.log);
          expectWellFormedOutcomes(outcomes);
          // A few GCP tests carry no p_log_type; those may be anything, even unrecognized.
          const logType = test.log.p_log_type;
          if (typeof logType === 'string') expect(format, label).toBe(PANTHER_FORMATS[logType]);
          for (const outcome of outcomes) {
            if (outcome.kind !== 'audit') continue;
            if (format === 'k8s-audit') expectNativeMapping(test.log, outcome.event, label);
            if (format === 'gke-cloud-audit') expectGkeMapping(test.log, outcome.event, label);
          }
        }
      });

      it('maps every log once the identity fields Panther omits (auditID, stage, RFC 3339 time) are filled in', () => {
        const kinds = new Map<string, number>();
        for (const [index, test] of tests.entries()) {
          const label = `${test.rule} / ${test.name}`;
          const completed = completePantherLog(test.log, index);
          const { format, outcomes } = parseValue(completed);
          expectWellFormedOutcomes(outcomes);
          for (const outcome of outcomes) {
            kinds.set(outcome.kind, (kinds.get(outcome.kind) ?? 0) + 1);
            // What is still rejected lacks data a real log always has (verb, protoPayload.serviceName).
            if (outcome.kind === 'rejected') expect(outcome.reason, label).not.toMatch(/auditID|stage|time|insertId/i);
            if (outcome.kind !== 'audit') continue;
            if (format === 'k8s-audit') expectNativeMapping(completed, outcome.event, label);
            if (format === 'aks-diagnostics') {
              expectNativeMapping(JSON.parse(readPath(completed, 'properties', 'log') as string), outcome.event, label);
            }
            if (format === 'gke-cloud-audit') expectGkeMapping(completed, outcome.event, label);
          }
        }
        expect(Object.fromEntries(kinds)).toEqual({ audit: 252, skipped: 7, rejected: 23 });
      });
    });
  });
