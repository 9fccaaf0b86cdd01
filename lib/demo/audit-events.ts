// One API request → the audit rows kube-apiserver logs for it, plus builders for the requests the
// plan makes often.

import type { Actor } from './cluster-model';
import type { Random } from './random';
import { formatMicros, MINUTE } from './time';
import type { AuditStage, K8sAuditEvent, K8sObjectReference, K8sResponseStatus, K8sUserInfo } from './types';

export type RequestSpec = {
  actor: Actor;
  verb: string;
  /** Absent for non-resource requests (/readyz); then `path` is the URI. */
  resource?: string;
  path?: string;
  group?: string;
  version?: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** Path after the subresource (nodes/<name>/proxy/metrics/cadvisor). */
  subpath?: string;
  /** The name travels as a metadata.name field selector (kubelet list/watch of one object). */
  nameInFieldSelector?: boolean;
  query?: string;
  /** HTTP status; 401/403 make the decision "forbid". Defaults to 200 (201 for create). */
  code?: number;
  forbidReason?: string;
  /** Watches and exec sessions: how long until ResponseComplete. */
  duration?: number;
  impersonatedUser?: K8sUserInfo;
};

function buildRequestUri(spec: RequestSpec): string {
  if (!spec.resource) return spec.path ?? '/';
  const version = spec.version ?? 'v1';
  let uri = spec.group ? `/apis/${spec.group}/${version}` : `/api/${version}`;
  if (spec.resource === 'namespaces') {
    uri += '/namespaces';
    if (spec.name) uri += `/${spec.name}`;
  } else {
    if (spec.namespace) uri += `/namespaces/${spec.namespace}`;
    uri += `/${spec.resource}`;
    if (spec.name && !spec.nameInFieldSelector) uri += `/${spec.name}`;
  }
  if (spec.subresource) uri += `/${spec.subresource}`;
  if (spec.subpath) uri += `/${spec.subpath}`;
  const query: string[] = [];
  if (spec.nameInFieldSelector && spec.name) query.push(`fieldSelector=metadata.name%3D${spec.name}`);
  if (spec.query) query.push(spec.query);
  return query.length > 0 ? `${uri}?${query.join('&')}` : uri;
}

function buildObjectRef(spec: RequestSpec): K8sObjectReference | undefined {
  if (!spec.resource) return undefined;
  const ref: K8sObjectReference = { resource: spec.resource } as K8sObjectReference;
  // The apiserver files a namespace object under its own name as namespace.
  const namespace = spec.resource === 'namespaces' ? spec.name : spec.namespace;
  if (namespace) ref.namespace = namespace;
  if (spec.name) ref.name = spec.name;
  if (spec.group) ref.apiGroup = spec.group;
  ref.apiVersion = spec.version ?? 'v1';
  if (spec.subresource) ref.subresource = spec.subresource;
  return ref;
}

function describeFailure(spec: RequestSpec, code: number): K8sResponseStatus {
  const resource = spec.resource ?? spec.path ?? '';
  if (code === 404) {
    return {
      metadata: {},
      status: 'Failure',
      message: `${resource} "${spec.name}" not found`,
      reason: 'NotFound',
      code,
    };
  }
  if (code === 409) {
    const message = `Operation cannot be fulfilled on ${resource}.${spec.group ?? ''} "${spec.name}": the object has been modified; please apply your changes to the latest version and try again`;
    return { metadata: {}, status: 'Failure', message, reason: 'Conflict', code };
  }
  if (code === 401) return { metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code };
  const subject = spec.name ? `${resource} "${spec.name}"` : resource;
  const full = spec.subresource ? `${resource}/${spec.subresource}` : resource;
  const scope =
    spec.namespace || spec.resource === 'namespaces'
      ? `in the namespace "${spec.namespace ?? spec.name}"`
      : 'at the cluster scope';
  const message = `${subject} is forbidden: User "${spec.actor.user.username}" cannot ${spec.verb} resource "${full}" in API group "${spec.group ?? ''}" ${scope}`;
  return { metadata: {}, status: 'Failure', message, reason: 'Forbidden', code };
}

function defaultCode(spec: RequestSpec): number {
  if (spec.subresource === 'exec' || spec.subresource === 'attach') return 101;
  return spec.verb === 'create' ? 201 : 200;
}

function chooseStages(spec: RequestSpec, longRunning: boolean, rng: Random, maxRows: number): AuditStage[] {
  let stages: AuditStage[];
  if (longRunning) stages = ['ResponseStarted', 'ResponseComplete'];
  else if (spec.actor.requestReceivedShare > 0 && rng.chance(spec.actor.requestReceivedShare)) {
    stages = ['RequestReceived', 'ResponseComplete'];
  } else stages = ['ResponseComplete'];
  return maxRows < stages.length ? ['ResponseComplete'] : stages;
}

function buildAnnotations(spec: RequestSpec, code: number, denied: boolean): Record<string, string> | undefined {
  if (code === 401) return undefined;
  return {
    'authorization.k8s.io/decision': denied ? 'forbid' : 'allow',
    'authorization.k8s.io/reason': denied ? (spec.forbidReason ?? '') : spec.actor.allowReason,
  };
}

/** One request → its audit rows (1 or 2, same auditID), at most `maxRows`. */
export function buildRequestEvents(spec: RequestSpec, time: number, rng: Random, maxRows = 2): K8sAuditEvent[] {
  const auditID = rng.uuid();
  const code = spec.code ?? defaultCode(spec);
  const denied = code === 401 || code === 403;
  const longRunning =
    !denied && (spec.verb === 'watch' || spec.subresource === 'exec' || spec.subresource === 'attach');
  const stages = chooseStages(spec, longRunning, rng, maxRows);
  const requestURI = buildRequestUri(spec);
  const objectRef = buildObjectRef(spec);
  const received = formatMicros(time);
  const latency = rng.int(700, 24_000);
  const annotations = buildAnnotations(spec, code, denied);
  const status: K8sResponseStatus = code >= 400 ? describeFailure(spec, code) : { metadata: {}, code };
  return stages.map((stage) => {
    // Built in kube-apiserver's key order; the timestamps are filled in below.
    const event = {
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level: 'Metadata',
      auditID,
      stage,
      requestURI,
      verb: spec.verb,
      user: spec.actor.user,
    } as K8sAuditEvent;
    if (spec.impersonatedUser) event.impersonatedUser = spec.impersonatedUser;
    event.sourceIPs = spec.actor.sourceIPs;
    event.userAgent = spec.actor.userAgent;
    if (objectRef) event.objectRef = objectRef;
    let stageTime = time;
    if (stage === 'ResponseStarted') {
      event.responseStatus = { metadata: {}, code };
      stageTime = time + Math.floor(latency / 4);
    } else if (stage === 'ResponseComplete') {
      event.responseStatus = status;
      stageTime = time + (longRunning ? (spec.duration ?? 5 * MINUTE) : latency);
    }
    event.requestReceivedTimestamp = received;
    event.stageTimestamp = stage === 'RequestReceived' ? received : formatMicros(stageTime);
    if (stage !== 'RequestReceived' && annotations) event.annotations = annotations;
    return event;
  });
}

/** The cluster's resourceVersion at `time`: it advances steadily from the start of the span. */
export function computeResourceVersion(start: number, time: number): number {
  return 48_213_000 + Math.floor((time - start) / 20_000);
}

export function buildWatchQuery(rng: Random, resourceVersion: number, extra = ''): string {
  const seconds = rng.int(300, 599);
  const timeout = `${Math.floor(seconds / 60)}m${seconds % 60}s`;
  return `allowWatchBookmarks=true${extra}&resourceVersion=${resourceVersion}&timeout=${timeout}&timeoutSeconds=${seconds}&watch=true`;
}

/** A Lease request (leader election, node heartbeat): a renewal, or with `verb` get a read. */
export function buildLeaseRequest(actor: Actor, namespace: string, name: string, verb = 'update'): RequestSpec {
  return { actor, verb, resource: 'leases', group: 'coordination.k8s.io', namespace, name };
}

const API_GROUPS: Record<string, string> = { endpointslices: 'discovery.k8s.io', ingresses: 'networking.k8s.io' };

/** The API group of the resources the filler watches outside the core group. */
export function findApiGroup(resource: string): string | undefined {
  return API_GROUPS[resource];
}
