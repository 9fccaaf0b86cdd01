// Normalized ingest output as the detection engine reads it from the database, for pure rule tests.
import type { DetectionAuditEvent } from '../../lib/detections/types';
import type { NormalizedAuditEvent } from '../../lib/ingest/types';

/** The id is auditID/stage: unique like the stored row's, and readable in failures. */
export function toDetectionAuditEvent(event: NormalizedAuditEvent, cluster: string): DetectionAuditEvent {
  return {
    id: `${event.auditId}/${event.stage}`,
    cluster: event.cluster ?? cluster,
    auditId: event.auditId,
    stage: event.stage,
    time: new Date(event.time),
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
