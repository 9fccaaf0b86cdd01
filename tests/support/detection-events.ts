// Normalized ingest output as the detection engine reads it from the database, for pure rule tests.
import type { DetectionAuditEvent } from '../../lib/detections/types';
import { stagesOf } from '../../lib/events/request-stages';
import { mergeChunkRequests } from '../../lib/ingest/merge-requests';
import type { NormalizedAuditEvent } from '../../lib/ingest/types';

const dateOrNull = (time: string | null) => (time === null ? null : new Date(time));

/** Records as the store keeps them, one per request (its stages merged), in the rules' input shape. */
export function toDetectionRequests(
  records: { event: NormalizedAuditEvent; cluster: string }[],
): DetectionAuditEvent[] {
  const staged = records.map((record, line) => ({ ...record, line, sourceFormat: 'k8s-audit' }));
  return mergeChunkRequests(staged).requests.map((request) => toDetectionAuditEvent(request.row, request.cluster));
}

/** The id is auditID/stage: unique like the stored row's, and readable in failures. */
export function toDetectionAuditEvent(event: NormalizedAuditEvent, cluster: string): DetectionAuditEvent {
  return {
    id: `${event.auditId}/${stagesOf(event).join('+')}`,
    cluster: event.cluster ?? cluster,
    auditId: event.auditId,
    time: new Date(event.time),
    startedAt: dateOrNull(event.startedAt),
    completedAt: dateOrNull(event.completedAt),
    verb: event.verb,
    username: event.username,
    groups: event.groups,
    userAgent: event.userAgent,
    sourceIps: event.sourceIps,
    sourceIp: event.sourceIp,
    resource: event.resource,
    subresource: event.subresource,
    namespace: event.namespace,
    name: event.name,
    requestUri: event.requestUri,
    responseCode: event.responseCode,
    decision: event.decision,
    podName: event.podName,
    podUid: event.podUid,
    nodeName: event.nodeName,
  };
}
