import { describeValue, normalizeAuditEvent, rejectRecord } from '../normalize';
import {
  DECISION_ANNOTATION,
  ecsAuditFieldsSchema,
  isJsonObject,
  NODE_NAME_EXTRA,
  POD_NAME_EXTRA,
  POD_UID_EXTRA,
  readEcsField,
  readEcsFields,
  REASON_ANNOTATION,
  type JsonObject,
  type K8sAuditEvent,
} from '../schemas';
import { formatFirstIssue } from '../../format-first-issue';
import type { FormatParser, RecordOutcome } from '../types';

/** An Elasticsearch hit ({_index, _id, _source}) stands for its _source document. */
export function unwrapSearchHit(record: JsonObject): { document: JsonObject; isHit: boolean } {
  const source = record._source;
  if (isJsonObject(source) && ('_index' in record || '_id' in record)) return { document: source, isHit: true };
  return { document: record, isHit: false };
}

function hasAuditFields(document: JsonObject): boolean {
  return (
    readEcsField(document, 'kubernetes.audit') !== undefined ||
    readEcsField(document, 'kubernetes.audit.auditID') !== undefined ||
    readEcsField(document, 'kubernetes.audit.verb') !== undefined
  );
}

function toList(value: string | string[] | null | undefined): string[] | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? [value] : value;
}

// The integration pipeline derives event.outcome from the decision: allow → success, forbid → failure.
function readDecisionFromOutcome(outcome: string | null | undefined): string | null {
  if (outcome === 'success') return 'allow';
  if (outcome === 'failure') return 'forbid';
  return null;
}

function parseEcsAuditDocument(record: unknown, text: string): RecordOutcome {
  if (!isJsonObject(record)) return rejectRecord(`ECS document: expected object, received ${describeValue(record)}`);
  const { document, isHit } = unwrapSearchHit(record);
  const parsed = ecsAuditFieldsSchema.safeParse(readEcsFields(document, ecsAuditFieldsSchema));
  if (!parsed.success) return rejectRecord(formatFirstIssue(parsed.error));
  const fields = parsed.data;
  const event: K8sAuditEvent = {
    auditID: fields['kubernetes.audit.auditID'],
    stage: fields['kubernetes.audit.stage'],
    verb: fields['kubernetes.audit.verb'],
    level: fields['kubernetes.audit.level'],
    requestURI: fields['kubernetes.audit.requestURI'],
    userAgent: fields['kubernetes.audit.userAgent'] ?? fields['user_agent.original'],
    sourceIPs: toList(fields['kubernetes.audit.sourceIPs']) ?? toList(fields['source.ip']),
    requestReceivedTimestamp: fields['kubernetes.audit.requestReceivedTimestamp'],
    stageTimestamp: fields['kubernetes.audit.stageTimestamp'],
    user: {
      username: fields['kubernetes.audit.user.username'] ?? fields['user.name'],
      uid: fields['kubernetes.audit.user.uid'] ?? fields['user.id'],
      groups: toList(fields['kubernetes.audit.user.groups']),
      extra: {
        [POD_NAME_EXTRA]: toList(fields[`kubernetes.audit.user.extra.${POD_NAME_EXTRA}`]),
        [POD_UID_EXTRA]: toList(fields[`kubernetes.audit.user.extra.${POD_UID_EXTRA}`]),
        [NODE_NAME_EXTRA]: toList(fields[`kubernetes.audit.user.extra.${NODE_NAME_EXTRA}`]),
      },
    },
    impersonatedUser: { username: fields['kubernetes.audit.impersonatedUser.username'] },
    objectRef: {
      resource: fields['kubernetes.audit.objectRef.resource'],
      subresource: fields['kubernetes.audit.objectRef.subresource'],
      namespace: fields['kubernetes.audit.objectRef.namespace'],
      name: fields['kubernetes.audit.objectRef.name'],
      apiGroup: fields['kubernetes.audit.objectRef.apiGroup'],
      apiVersion: fields['kubernetes.audit.objectRef.apiVersion'],
    },
    responseStatus: { code: fields['kubernetes.audit.responseStatus.code'] },
    annotations: {
      [DECISION_ANNOTATION]:
        fields['kubernetes.audit.annotations.authorization_k8s_io/decision'] ??
        fields[`kubernetes.audit.annotations.${DECISION_ANNOTATION}`] ??
        readDecisionFromOutcome(fields['event.outcome']),
      [REASON_ANNOTATION]:
        fields['kubernetes.audit.annotations.authorization_k8s_io/reason'] ??
        fields[`kubernetes.audit.annotations.${REASON_ANNOTATION}`],
    },
  };
  return normalizeAuditEvent(event, {
    cluster: fields['orchestrator.cluster.name'] ?? null,
    original: document,
    originalText: isHit ? undefined : text,
    fallbackTime: fields['@timestamp'],
  });
}

export const elasticAuditParser: FormatParser = {
  format: 'elastic-audit',
  matches: (record) => isJsonObject(record) && hasAuditFields(unwrapSearchHit(record).document),
  parse: (record, context) => [parseEcsAuditDocument(record, context.text)],
};
