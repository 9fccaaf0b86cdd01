// Writes a scenario as the file one of the six ingest sources would produce, from the native events.
// Yields text chunks of about 64 KB, so a caller can stream millions of events to disk or a socket.

import type { IngestFormat } from '../ingest/types';
import { createRandom, type Random } from './random';
import type { DefendFileEvent, K8sAuditEvent, Scenario } from './types';

/**
 * lines: one record per line (NDJSON). document: one JSON document (EventList; `aws logs
 * filter-log-events` output; a JSON array of log entries; {"records": [...]}; a JSON array).
 * batches: one container per line holding `batchSize` records (audit webhook EventLists, decoded
 * CloudWatch subscription messages, Event Hubs {"records": [...]} messages).
 */
export type WriteLayout = 'lines' | 'document' | 'batches';

export type WriteOptions = { layout?: WriteLayout; batchSize?: number };

export const WRITE_LAYOUTS: Record<IngestFormat, readonly WriteLayout[]> = {
  'k8s-audit': ['lines', 'document', 'batches'],
  'eks-cloudwatch': ['lines', 'document', 'batches'],
  'gke-cloud-audit': ['lines', 'document'],
  'aks-diagnostics': ['lines', 'document', 'batches'],
  'elastic-audit': ['lines', 'document'],
  'file-events': ['lines', 'document'],
};

const CHUNK_CHARS = 1 << 16;
const DEFAULT_BATCH_SIZE = 500;
const AWS_ACCOUNT = '123456789012';
const GCP_PROJECT = 'vigil-demo';
const GCP_LOCATION = 'europe-west1';

/** Record → its JSON text; `first`/`last` bracket a document; `wrapBatch` makes one line of a batch. */
type Serializer = {
  record(event: K8sAuditEvent): string;
  documentStart?: string;
  documentEnd?: string;
  wrapBatch?(records: string[], first: K8sAuditEvent): string;
  /** Batches never mix partitions (a CloudWatch subscription message holds one log stream). */
  partition?(event: K8sAuditEvent): number;
};

function toMillis(timestamp: string): number {
  return Date.parse(`${timestamp.slice(0, 23)}Z`);
}

/** Decides which of two apiservers served a request (all stages of a request on the same one). */
function apiserverIndex(event: K8sAuditEvent): number {
  return event.auditID.charCodeAt(0) & 1;
}

const sharedJson = new WeakMap<object, string>();

/** JSON of an object the generator shares between many events (actors are frozen), serialized once. */
function cachedJson(value: object): string {
  let text = sharedJson.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    sharedJson.set(value, text);
  }
  return text;
}

/**
 * Byte-identical to JSON.stringify(event) for the generator's events (fixed key order), about twice as
 * fast: the user and sourceIPs objects are shared between events (frozen actors) and serialized once.
 */
export function stringifyAuditEvent(event: K8sAuditEvent): string {
  let text = `{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":${JSON.stringify(event.level)},"auditID":${JSON.stringify(event.auditID)},"stage":"${event.stage}","requestURI":${JSON.stringify(event.requestURI)},"verb":${JSON.stringify(event.verb)},"user":${cachedJson(event.user)}`;
  if (event.impersonatedUser) text += `,"impersonatedUser":${cachedJson(event.impersonatedUser)}`;
  text += `,"sourceIPs":${cachedJson(event.sourceIPs)}`;
  if (event.userAgent !== undefined) text += `,"userAgent":${JSON.stringify(event.userAgent)}`;
  if (event.objectRef) text += `,"objectRef":${JSON.stringify(event.objectRef)}`;
  if (event.responseStatus) text += `,"responseStatus":${JSON.stringify(event.responseStatus)}`;
  text += `,"requestReceivedTimestamp":"${event.requestReceivedTimestamp}","stageTimestamp":"${event.stageTimestamp}"`;
  if (event.annotations) text += `,"annotations":${JSON.stringify(event.annotations)}`;
  return `${text}}`;
}

function createK8sAuditSerializer(): Serializer {
  const head = '{"kind":"EventList","apiVersion":"audit.k8s.io/v1","metadata":{},"items":[';
  return {
    record: stringifyAuditEvent,
    documentStart: `${head}\n`,
    documentEnd: '\n]}\n',
    wrapBatch: (records) => `${head}${records.join(',')}]}`,
  };
}

function digits(rng: Random, count: number): string {
  let text = '';
  while (text.length < count) text += String(rng.uint32()).padStart(10, '0').slice(1);
  return text.slice(0, count);
}

function createEksSerializer(scenario: Scenario, rng: Random, layout: WriteLayout): Serializer {
  const streams = [`kube-apiserver-audit-${rng.hex(32)}`, `kube-apiserver-audit-${rng.hex(32)}`];
  const logGroup = `/aws/eks/${scenario.cluster}/cluster`;
  const ingestion = (timestamp: number) => timestamp + 400 + (timestamp % 1700);
  if (layout === 'document') {
    return {
      record: (event) => {
        const timestamp = toMillis(event.stageTimestamp);
        return JSON.stringify({
          logStreamName: streams[apiserverIndex(event)],
          timestamp,
          message: stringifyAuditEvent(event),
          ingestionTime: ingestion(timestamp),
          eventId: digits(rng, 56),
        });
      },
      documentStart: '{\n"events":[\n',
      documentEnd: `\n],\n"searchedLogStreams":${JSON.stringify(streams.map((logStreamName) => ({ logStreamName, searchedCompletely: true })))}\n}\n`,
    };
  }
  if (layout === 'batches') {
    return {
      record: (event) =>
        JSON.stringify({
          id: digits(rng, 56),
          timestamp: toMillis(event.stageTimestamp),
          message: stringifyAuditEvent(event),
        }),
      partition: apiserverIndex,
      wrapBatch: (records, first) =>
        `{"messageType":"DATA_MESSAGE","owner":"${AWS_ACCOUNT}","logGroup":"${logGroup}","logStream":"${streams[apiserverIndex(first)]}","subscriptionFilters":["vigil-audit"],"logEvents":[${records.join(',')}]}`,
    };
  }
  return {
    record: (event) =>
      JSON.stringify({
        timestamp: toMillis(event.stageTimestamp),
        message: stringifyAuditEvent(event),
        logStreamName: streams[apiserverIndex(event)],
      }),
  };
}

const GRPC_FOR_HTTP: Record<number, [number, string]> = {
  400: [3, 'INVALID_ARGUMENT'],
  401: [16, 'UNAUTHENTICATED'],
  403: [7, 'PERMISSION_DENIED'],
  404: [5, 'NOT_FOUND'],
  409: [10, 'ABORTED'],
  422: [3, 'INVALID_ARGUMENT'],
  429: [8, 'RESOURCE_EXHAUSTED'],
  500: [13, 'INTERNAL'],
};

/** GKE names an API group without its ".k8s.io" suffix in method names, and the core group "core". */
function gkeMethodGroup(apiGroup: string | undefined): string {
  if (!apiGroup) return 'core';
  return apiGroup.endsWith('.k8s.io') ? apiGroup.slice(0, -'.k8s.io'.length) : apiGroup;
}

function gkeResourceName(event: K8sAuditEvent): string {
  const ref = event.objectRef;
  if (!ref) return event.requestURI.split('?')[0]!.replace(/^\//, '');
  const parts = [ref.apiGroup || 'core', ref.apiVersion];
  if (ref.resource === 'namespaces') parts.push('namespaces');
  else {
    if (ref.namespace) parts.push('namespaces', ref.namespace);
    parts.push(ref.resource);
  }
  if (ref.name) parts.push(ref.name);
  if (ref.subresource) parts.push(ref.subresource);
  return parts.join('/');
}

const READ_VERBS = new Set(['get', 'list', 'watch']);

function createGkeSerializer(scenario: Scenario, rng: Random): Serializer {
  const resource = {
    type: 'k8s_cluster',
    labels: { cluster_name: scenario.cluster, location: GCP_LOCATION, project_id: GCP_PROJECT },
  };
  let previousAuditId = '';
  return {
    record: (event) => {
      const ref = event.objectRef;
      const methodName = ref
        ? `io.k8s.${gkeMethodGroup(ref.apiGroup)}.${ref.apiVersion}.${ref.resource}${ref.subresource ? `.${ref.subresource}` : ''}.${event.verb}`
        : `io.k8s.${event.verb}`;
      const resourceName = gkeResourceName(event);
      const decision = event.annotations?.['authorization.k8s.io/decision'];
      const code = event.responseStatus?.code;
      const payload: Record<string, unknown> = {
        '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
        authenticationInfo: { principalEmail: event.user.username },
      };
      if (decision)
        payload.authorizationInfo = [{ granted: decision === 'allow', permission: methodName, resource: resourceName }];
      payload.methodName = methodName;
      payload.requestMetadata = { callerIp: event.sourceIPs.at(-1), callerSuppliedUserAgent: event.userAgent };
      payload.resourceName = resourceName;
      payload.serviceName = 'k8s.io';
      if (code !== undefined) {
        const grpc = code < 400 ? undefined : (GRPC_FOR_HTTP[code] ?? [2, 'UNKNOWN']);
        payload.status = grpc ? { code: grpc[0], message: grpc[1] } : { code: 0 };
      }
      const write = !READ_VERBS.has(event.verb) && ref !== undefined;
      const entry: Record<string, unknown> = {
        protoPayload: payload,
        insertId: rng.uuid(),
        resource,
        timestamp: event.requestReceivedTimestamp,
        severity: code !== undefined && code >= 400 ? 'WARNING' : write ? 'NOTICE' : 'INFO',
      };
      if (event.annotations) {
        entry.labels = {
          'authorization.k8s.io/decision': event.annotations['authorization.k8s.io/decision'],
          'authorization.k8s.io/reason': event.annotations['authorization.k8s.io/reason'],
        };
      }
      entry.logName = `projects/${GCP_PROJECT}/logs/cloudaudit.googleapis.com%2F${write ? 'activity' : 'data_access'}`;
      // A request logged at two stages becomes a first and a last entry of one operation.
      entry.operation = {
        id: event.auditID,
        producer: 'k8s.io',
        first: event.auditID !== previousAuditId,
        last: event.stage === 'ResponseComplete',
      };
      previousAuditId = event.auditID;
      entry.receiveTimestamp = new Date(toMillis(event.stageTimestamp) + 1200 + rng.int(0, 1500)).toISOString();
      return JSON.stringify(entry);
    },
    documentStart: '[\n',
    documentEnd: '\n]\n',
  };
}

function createAksSerializer(scenario: Scenario, rng: Random): Serializer {
  const subscription = rng.uuid().toUpperCase();
  const resourceId = `/SUBSCRIPTIONS/${subscription}/RESOURCEGROUPS/VIGIL-DEMO-RG/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/${scenario.cluster.toUpperCase()}`;
  const replicaSet = rng.suffix(10);
  const apiservers = [0, 1].map(() => ({
    pod: `kube-apiserver-${replicaSet}-${rng.suffix(5)}`,
    containerId: rng.hex(64),
  }));
  return {
    record: (event) => {
      const apiserver = apiservers[apiserverIndex(event)]!;
      const stage = event.stageTimestamp;
      return JSON.stringify({
        category: 'kube-audit',
        operationName: 'Microsoft.ContainerService/managedClusters/diagnosticLogs/Read',
        properties: {
          log: stringifyAuditEvent(event),
          containerID: apiserver.containerId,
          stream: 'stdout',
          pod: apiserver.pod,
        },
        resourceId,
        serviceBuild: 'na',
        // Azure writes nanoseconds; the apiserver wrote the line just after the stage.
        time: `${stage.slice(0, 26)}${String(rng.int(0, 999)).padStart(3, '0')}Z`,
      });
    },
    documentStart: '{"records":[\n',
    documentEnd: '\n]}\n',
    wrapBatch: (records) => `{"records":[${records.join(',')}]}`,
  };
}

function createElasticSerializer(scenario: Scenario, rng: Random): Serializer {
  const agent = { id: rng.uuid(), type: 'filebeat', version: '8.15.0' };
  return {
    record: (event) => {
      // The integration's pipeline rewrites "." to "_" in annotation keys and drops empty values.
      let annotations: Record<string, string> | undefined;
      if (event.annotations) {
        annotations = {};
        for (const [key, value] of Object.entries(event.annotations)) {
          if (value !== '') annotations[key.replaceAll('.', '_')] = value;
        }
      }
      const audit: Record<string, unknown> = { ...event, annotations };
      if (event.responseStatus) {
        const { metadata: _metadata, ...status } = event.responseStatus;
        audit.responseStatus = status;
      }
      const decision = event.annotations?.['authorization.k8s.io/decision'];
      const ref = event.objectRef;
      const stageMillis = toMillis(event.stageTimestamp);
      const orchestrator: Record<string, unknown> = {
        api_version: event.apiVersion,
        cluster: { name: scenario.cluster },
      };
      if (ref?.namespace) orchestrator.namespace = ref.namespace;
      if (ref) orchestrator.resource = ref.name ? { name: ref.name, type: ref.resource } : { type: ref.resource };
      orchestrator.type = 'kubernetes';
      const user: Record<string, string> = { name: event.user.username };
      if (event.user.uid) user.id = event.user.uid;
      const eventField: Record<string, unknown> = { action: event.verb, kind: 'event' };
      if (decision) eventField.outcome = decision === 'allow' ? 'success' : 'failure';
      eventField.dataset = 'kubernetes.audit_logs';
      eventField.ingested = new Date(stageMillis + 1500 + rng.int(0, 4000)).toISOString();
      return JSON.stringify({
        '@timestamp': new Date(stageMillis).toISOString(),
        agent,
        client: { ip: event.sourceIPs },
        data_stream: { dataset: 'kubernetes.audit_logs', namespace: 'default', type: 'logs' },
        ecs: { version: '8.11.0' },
        event: eventField,
        kubernetes: { audit },
        orchestrator,
        related: { ip: event.sourceIPs, user: [event.user.username] },
        source: { ip: event.sourceIPs },
        user,
        user_agent: event.userAgent === undefined ? undefined : { original: event.userAgent },
      });
    },
    documentStart: '[\n',
    documentEnd: '\n]\n',
  };
}

function createSerializer(scenario: Scenario, format: Exclude<IngestFormat, 'file-events'>, layout: WriteLayout) {
  const rng = createRandom(scenario.seed).fork(`write:${format}`);
  switch (format) {
    case 'k8s-audit':
      return createK8sAuditSerializer();
    case 'eks-cloudwatch':
      return createEksSerializer(scenario, rng, layout);
    case 'gke-cloud-audit':
      return createGkeSerializer(scenario, rng);
    case 'aks-diagnostics':
      return createAksSerializer(scenario, rng);
    case 'elastic-audit':
      return createElasticSerializer(scenario, rng);
  }
}

/** Joins small strings into ~64 KB chunks. */
function* chunk(pieces: Iterable<string>): Generator<string> {
  let buffer = '';
  for (const piece of pieces) {
    buffer += piece;
    if (buffer.length >= CHUNK_CHARS) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}

function* layoutRecords<T>(
  events: Iterable<T>,
  record: (event: T) => string,
  layout: WriteLayout,
  serializer: Pick<Serializer, 'documentStart' | 'documentEnd'> & {
    wrapBatch?(records: string[], first: T): string;
    partition?(event: T): number;
  },
  batchSize: number,
): Generator<string> {
  if (layout === 'lines') {
    // The hot path: one flat loop, no per-line generator hop.
    let buffer = '';
    for (const event of events) {
      buffer += `${record(event)}\n`;
      if (buffer.length >= CHUNK_CHARS) {
        yield buffer;
        buffer = '';
      }
    }
    if (buffer) yield buffer;
    return;
  }
  if (layout === 'document') {
    yield serializer.documentStart ?? '[\n';
    let first = true;
    for (const event of events) {
      yield first ? record(event) : `,\n${record(event)}`;
      first = false;
    }
    yield serializer.documentEnd ?? '\n]\n';
    return;
  }
  const wrap = serializer.wrapBatch;
  if (!wrap) throw new Error('this format has no batch container');
  const partition = serializer.partition ?? (() => 0);
  const open = new Map<number, { head: T; records: string[] }>();
  for (const event of events) {
    const key = partition(event);
    let batch = open.get(key);
    if (!batch) open.set(key, (batch = { head: event, records: [] }));
    batch.records.push(record(event));
    if (batch.records.length >= batchSize) {
      yield `${wrap(batch.records, batch.head)}\n`;
      open.delete(key);
    }
  }
  for (const key of [...open.keys()].sort((left, right) => left - right)) {
    const batch = open.get(key)!;
    yield `${wrap(batch.records, batch.head)}\n`;
  }
}

/**
 * The scenario in one ingest format. Audit formats write the audit events only; `file-events`
 * writes the Defend for Containers file events only.
 */
export function* writeScenario(
  scenario: Scenario,
  format: IngestFormat,
  options: WriteOptions = {},
): Generator<string> {
  const layout = options.layout ?? 'lines';
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!WRITE_LAYOUTS[format].includes(layout)) {
    throw new Error(`format ${format} has no "${layout}" layout (it has: ${WRITE_LAYOUTS[format].join(', ')})`);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error(`batchSize: expected a positive integer, received ${batchSize}`);
  if (format === 'file-events') {
    const record = (event: DefendFileEvent) => JSON.stringify(event);
    yield* chunk(layoutRecords(scenario.fileEvents(), record, layout, {}, batchSize));
    return;
  }
  const serializer = createSerializer(scenario, format, layout);
  yield* chunk(layoutRecords(scenario.auditEvents(), serializer.record, layout, serializer, batchSize));
}
