// Events for the investigation pages' integration tests (entity profiles, events explorer):
// native audit requests with every field a panel or filter reads, and container file events in
// the Elastic Defend for Containers shape, both ingested through the real pipeline.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { ingestStream } from '../../lib/ingest/ingest-stream';
import { bytesOf, nativeEvent, ndjson, type NativeEvent } from './audit-events';

export type AuditRequestInput = {
  time: string;
  /** `system:serviceaccount:<ns>:<sa>` for a pod's token. */
  user: string;
  verb?: string;
  resource?: string;
  subresource?: string;
  namespace?: string | null;
  /** null: a list or watch over the namespace. */
  name?: string | null;
  code?: number;
  /** null: no authorization annotation (e.g. a request that failed before authorization). */
  decision?: 'allow' | 'forbid' | null;
  sourceIPs?: string[];
  userAgent?: string;
  groups?: string[];
  /** The requesting pod: only a service-account token carries it. */
  podName?: string;
  nodeName?: string;
  requestURI?: string;
};

/** One ResponseComplete audit event as the API server writes it. */
export function auditRequest(input: AuditRequestInput): NativeEvent {
  const namespace = input.namespace === undefined ? 'default' : input.namespace;
  const name = input.name === undefined ? 'object' : input.name;
  const resource = input.resource ?? 'secrets';
  const extra: Record<string, string[]> = {};
  if (input.podName) extra['authentication.kubernetes.io/pod-name'] = [input.podName];
  if (input.nodeName) extra['authentication.kubernetes.io/node-name'] = [input.nodeName];
  const objectRef: Record<string, string> = { resource, apiVersion: 'v1' };
  if (namespace !== null) objectRef.namespace = namespace;
  if (name !== null) objectRef.name = name;
  if (input.subresource) objectRef.subresource = input.subresource;
  const decision = input.decision === undefined ? ((input.code ?? 200) < 400 ? 'allow' : 'forbid') : input.decision;
  return nativeEvent({
    verb: input.verb ?? 'get',
    user: { username: input.user, groups: input.groups ?? ['system:authenticated'], extra },
    sourceIPs: input.sourceIPs ?? ['192.0.2.10'],
    userAgent: input.userAgent ?? 'kubectl/v1.30.2 (linux/amd64) kubernetes/39683505',
    requestURI:
      input.requestURI ??
      `/api/v1/${namespace === null ? '' : `namespaces/${namespace}/`}${resource}${name === null ? '' : `/${name}`}`,
    objectRef,
    responseStatus: { metadata: {}, code: input.code ?? 200 },
    requestReceivedTimestamp: input.time,
    stageTimestamp: input.time,
    annotations: decision === null ? {} : { 'authorization.k8s.io/decision': decision },
  });
}

export type FileEventInput = {
  time: string;
  podName: string;
  namespace: string;
  path?: string;
  action?: string;
  types?: string[];
  processName?: string;
  processUser?: string;
  containerId?: string;
  interactive?: boolean;
  /** orchestrator.cluster.name (default: none, the upload's cluster). */
  cluster?: string;
  /** host.os.type; null leaves it out. */
  hostOs?: string | null;
  /** event.category; null leaves it out. */
  categories?: string[] | null;
};

/** One Defend for Containers file event; `event.id` is unique, so re-ingesting it is a duplicate. */
export function defendFileEvent(input: FileEventInput): Record<string, unknown> {
  const path = input.path ?? '/var/run/secrets/kubernetes.io/serviceaccount/token';
  const processName = input.processName ?? 'cat';
  return {
    '@timestamp': input.time,
    event: {
      id: randomUUID(),
      kind: 'event',
      ...(input.categories === null ? {} : { category: input.categories ?? ['file'] }),
      type: input.types ?? ['change'],
      action: input.action ?? 'open',
      dataset: 'cloud_defend.file',
    },
    file: { path, name: path.split('/').at(-1) },
    process: {
      name: processName,
      executable: `/bin/${processName}`,
      args: [processName, path],
      pid: 4242,
      interactive: input.interactive ?? true,
      user: { id: '0', name: input.processUser ?? 'root' },
    },
    container: { id: input.containerId ?? `c-${randomUUID()}` },
    orchestrator: {
      namespace: input.namespace,
      resource: { name: input.podName, type: 'pod' },
      ...(input.cluster ? { cluster: { name: input.cluster } } : {}),
    },
    ...(input.hostOs === null ? {} : { host: { os: { type: input.hostOs ?? 'linux' } } }),
  };
}

/** Ingests file events through the real pipeline (`file-events` format); throws unless all were stored. */
export async function ingestFileEvents(pool: pg.Pool, events: unknown[], cluster = 'factory') {
  const summary = await ingestStream(
    bytesOf(ndjson(events)),
    { source: 'cli', format: 'file-events', cluster },
    { pool },
  );
  if (summary.rejected > 0 || summary.stored !== events.length || summary.status !== 'completed')
    throw new Error(`file-event ingest failed: ${JSON.stringify(summary)}`);
  return summary;
}
