import { describeValue, normalizeAuditEvent, readEventTime, rejectRecord, skipRecord } from '../normalize';
import {
  DECISION_ANNOTATION,
  gkeAuditEntrySchema,
  isJsonObject,
  REASON_ANNOTATION,
  type GkeAuditEntry,
  type JsonObject,
  type K8sAuditEvent,
} from '../schemas';
import { formatFirstIssue } from '../../format-first-issue';
import type { FormatParser, RecordOutcome } from '../types';

const GRPC_TO_HTTP: ReadonlyMap<number, number> = new Map([
  [0, 200], // OK
  [3, 400], // INVALID_ARGUMENT
  [5, 404], // NOT_FOUND
  [6, 409], // ALREADY_EXISTS
  [7, 403], // PERMISSION_DENIED
  [8, 429], // RESOURCE_EXHAUSTED
  [13, 500], // INTERNAL
  [14, 503], // UNAVAILABLE
  [16, 401], // UNAUTHENTICATED
]);

function mapGrpcCodeToHttp(code: number | null | undefined): number {
  if (code === null || code === undefined) return 200; // proto3 JSON omits a zero (OK) code
  return GRPC_TO_HTTP.get(code) ?? 500;
}

type ResourceFields = Pick<
  NonNullable<K8sAuditEvent['objectRef']>,
  'apiGroup' | 'apiVersion' | 'namespace' | 'resource' | 'name' | 'subresource'
> & { requestURI: string | null };

// The apiserver's own namespace subresources (k8s.io/apiserver requestinfo).
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

/**
 * `<group>/<version>/namespaces/<ns>/<resource>[/<name>[/<sub>]]`, cluster-scoped paths, or a non-resource path.
 * Unlike Panther's data model, a namespaced collection (a list) gets no name: Panther's is the namespace, which
 * makes a list look like a get of a secret named after the namespace and skews distinct-name counts.
 */
export function parseGkeResourceName(resourceName: string): ResourceFields {
  const path = resourceName.replace(/^\/+/, '');
  const parts = path.split('/');
  if (parts.length < 3) {
    return {
      apiGroup: null,
      apiVersion: null,
      namespace: null,
      resource: null,
      name: null,
      subresource: null,
      requestURI: `/${path}`,
    };
  }
  const base = { apiGroup: parts[0] === 'core' ? null : parts[0], apiVersion: parts[1], requestURI: `/apis/${path}` };
  if (
    parts[2] === 'namespaces' &&
    parts.length >= 5 &&
    !(parts.length === 5 && NAMESPACE_SUBRESOURCES.has(parts[4]!))
  ) {
    return { ...base, namespace: parts[3], resource: parts[4], name: parts[5] ?? null, subresource: parts[6] ?? null };
  }
  if (parts[2] === 'namespaces') {
    return {
      ...base,
      namespace: parts[3] ?? null,
      resource: 'namespaces',
      name: parts[3] ?? null,
      subresource: parts[4] ?? null,
    };
  }
  return { ...base, namespace: null, resource: parts[2], name: parts[3] ?? null, subresource: parts[4] ?? null };
}

function parseGkeEntry(value: unknown, originalText: string | undefined): RecordOutcome {
  if (!isJsonObject(value)) return rejectRecord(`GKE log entry: expected object, received ${describeValue(value)}`);
  const payload = value.protoPayload;
  const serviceName = isJsonObject(payload) ? payload.serviceName : undefined;
  if (typeof serviceName === 'string' && serviceName !== 'k8s.io')
    return skipRecord(`GKE entry of service ${describeValue(serviceName)}`);
  const parsed = gkeAuditEntrySchema.safeParse(value);
  if (!parsed.success) return rejectRecord(formatFirstIssue(parsed.error));
  return normalizeGkeEntry(parsed.data, value, originalText);
}

function normalizeGkeEntry(
  entry: GkeAuditEntry,
  original: JsonObject,
  originalText: string | undefined,
): RecordOutcome {
  const auditId = entry.operation?.id || entry.insertId;
  if (!auditId) return rejectRecord('GKE entry has neither operation.id nor insertId');
  const entryTime = readEventTime(entry.timestamp, 'timestamp');
  if (!entryTime.ok) return rejectRecord(entryTime.reason);
  const receiveTime = readEventTime(entry.receiveTimestamp, 'receiveTimestamp');
  if (!receiveTime.ok) return rejectRecord(receiveTime.reason);
  const time = entryTime.time ?? receiveTime.time;
  if (time === null) return rejectRecord('no event time: timestamp and receiveTimestamp are missing');

  const payload = entry.protoPayload;
  const methodName = payload.methodName;
  const auth = payload.authenticationInfo;
  const metadata = payload.requestMetadata;
  const callerIp = metadata?.callerIp || metadata?.callerIP;
  const { requestURI, ...objectRef } = parseGkeResourceName(payload.resourceName ?? '');
  // A long-running request (watch) logs a first and a last entry; only a first-only entry is the request start.
  const stage =
    entry.operation?.first === true && entry.operation.last !== true ? 'RequestReceived' : 'ResponseComplete';
  const event: K8sAuditEvent = {
    auditID: auditId,
    stage,
    verb: methodName.slice(methodName.lastIndexOf('.') + 1),
    requestURI: payload.resourceName ? requestURI : null,
    userAgent: metadata?.callerSuppliedUserAgent,
    sourceIPs: callerIp ? [callerIp] : [],
    requestReceivedTimestamp: time,
    user: { username: auth?.principalEmail || auth?.principalSubject || auth?.authoritySelector },
    objectRef,
    responseStatus: { code: mapGrpcCodeToHttp(payload.status?.code) },
    annotations: {
      [DECISION_ANNOTATION]: entry.labels?.[DECISION_ANNOTATION],
      [REASON_ANNOTATION]: entry.labels?.[REASON_ANNOTATION],
    },
  };
  return normalizeAuditEvent(event, {
    cluster: entry.resource?.labels?.cluster_name ?? null,
    original,
    originalText,
  });
}

export const gkeCloudAuditParser: FormatParser = {
  format: 'gke-cloud-audit',
  // A whole Cloud Logging entries.list response ({"entries": [...]}) is accepted too.
  matches: (record) => isJsonObject(record) && ('protoPayload' in record || Array.isArray(record.entries)),
  parse: (record, context) => {
    if (isJsonObject(record) && !('protoPayload' in record) && Array.isArray(record.entries)) {
      if (record.entries.length === 0) return [skipRecord('Cloud Logging response with no entries')];
      return record.entries.map((entry: unknown) => parseGkeEntry(entry, undefined));
    }
    return [parseGkeEntry(record, context.text)];
  },
};
