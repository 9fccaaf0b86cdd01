// The one definition of an audit event row (audit_events): one row per API request, whichever of its
// stages arrived (see request-stages.ts). What the ingest writes, what the rules, the explorer, the
// alert page, exports and the allowlist read; Prisma's model must agree (tested).
import { codecs, column, defineTable, type InputOf, type RowOf } from '../db/table-columns';

export const auditEvents = defineTable('audit_events', 'e', {
  id: column('id', codecs.id),
  cluster: column('cluster', codecs.text),
  auditId: column('audit_id', codecs.text),
  /** requestReceivedTimestamp: the event time every window is evaluated on (the partition key). */
  time: column('time', codecs.time),
  /** Each stage's own stageTimestamp; null: that stage was not logged (or has not arrived yet). */
  receivedAt: column('received_at', codecs.optionalTime),
  startedAt: column('started_at', codecs.optionalTime),
  completedAt: column('completed_at', codecs.optionalTime),
  panickedAt: column('panicked_at', codecs.optionalTime),
  level: column('level', codecs.optionalText),
  verb: column('verb', codecs.text),
  username: column('username', codecs.optionalText),
  userUid: column('user_uid', codecs.optionalText),
  groups: column('groups', codecs.textArray),
  userAgent: column('user_agent', codecs.optionalText),
  /** Every sourceIPs entry, in order; all but the last can be set by the client. */
  sourceIps: column('source_ips', codecs.textArray),
  /** The last sourceIPs entry: the only one a client cannot forge. */
  sourceIp: column('source_ip', codecs.optionalText),
  resource: column('resource', codecs.optionalText),
  subresource: column('subresource', codecs.optionalText),
  namespace: column('namespace', codecs.optionalText),
  name: column('name', codecs.optionalText),
  apiGroup: column('api_group', codecs.optionalText),
  apiVersion: column('api_version', codecs.optionalText),
  requestUri: column('request_uri', codecs.optionalText),
  /** HTTP status; GKE's gRPC codes are mapped at ingest. */
  responseCode: column('response_code', codecs.optionalInt),
  /** authorization.k8s.io/decision: allow or forbid. */
  decision: column('decision', codecs.optionalText),
  reason: column('reason', codecs.optionalText),
  /** The reason parsed at ingest (lib/rbac): the binding that allowed the request, its role and subject. */
  rbacBindingKind: column('rbac_binding_kind', codecs.optionalText),
  rbacBindingName: column('rbac_binding_name', codecs.optionalText),
  rbacBindingNamespace: column('rbac_binding_namespace', codecs.optionalText),
  rbacRoleKind: column('rbac_role_kind', codecs.optionalText),
  rbacRoleName: column('rbac_role_name', codecs.optionalText),
  rbacSubjectKind: column('rbac_subject_kind', codecs.optionalText),
  rbacSubjectName: column('rbac_subject_name', codecs.optionalText),
  rbacSubjectNamespace: column('rbac_subject_namespace', codecs.optionalText),
  /** null: no reason; false: a reason that is not an RBAC grant (kept verbatim in reason, counted). */
  reasonParsed: column('reason_parsed', codecs.optionalBoolean),
  /** user.extra["authentication.kubernetes.io/pod-name"][0] and friends (bound service-account tokens). */
  podName: column('pod_name', codecs.optionalText),
  podUid: column('pod_uid', codecs.optionalText),
  nodeName: column('node_name', codecs.optionalText),
  impersonatedUser: column('impersonated_user', codecs.optionalText),
  sourceFormat: column('source_format', codecs.text),
  batchId: column('batch_id', codecs.optionalUuid),
});

/** A stored audit event; the other shapes of an audit event are Picks of it. */
export type AuditEvent = RowOf<typeof auditEvents.columns>;
export type AuditEventField = keyof AuditEvent & string;
export type AuditEventInput = InputOf<typeof auditEvents.columns>;

/** The authorizer's reason and what parsing it gave (lib/rbac): recorded and listed together. */
const RBAC_PATH_FIELDS = [
  'reason',
  'rbacBindingKind',
  'rbacBindingName',
  'rbacBindingNamespace',
  'rbacRoleKind',
  'rbacRoleName',
  'rbacSubjectKind',
  'rbacSubjectName',
  'rbacSubjectNamespace',
  'reasonParsed',
] as const satisfies readonly AuditEventField[];

/** Everything a record gives: the columns the ingest writes from a parsed event. */
export const AUDIT_EVENT_RECORD_FIELDS = [
  'auditId',
  'time',
  'receivedAt',
  'startedAt',
  'completedAt',
  'panickedAt',
  'level',
  'verb',
  'username',
  'userUid',
  'groups',
  'userAgent',
  'sourceIps',
  'sourceIp',
  'resource',
  'subresource',
  'namespace',
  'name',
  'apiGroup',
  'apiVersion',
  'requestUri',
  'responseCode',
  'decision',
  ...RBAC_PATH_FIELDS,
  'podName',
  'podUid',
  'nodeName',
  'impersonatedUser',
] as const satisfies readonly AuditEventField[];

/** The columns the ingest writes, in COPY order (the id comes from the sequence or the table default). */
export const AUDIT_EVENT_WRITTEN_FIELDS = [
  'cluster',
  ...AUDIT_EVENT_RECORD_FIELDS,
  'sourceFormat',
  'batchId',
] as const satisfies readonly AuditEventField[];

/** What the detection rules read. */
export const DETECTION_AUDIT_FIELDS = [
  'id',
  'cluster',
  'auditId',
  'time',
  'startedAt',
  'completedAt',
  'verb',
  'username',
  'groups',
  'userAgent',
  'sourceIps',
  'sourceIp',
  'resource',
  'subresource',
  'namespace',
  'name',
  'requestUri',
  'responseCode',
  'decision',
  'podName',
  'podUid',
  'nodeName',
] as const satisfies readonly AuditEventField[];

/** What the explorer, evidence lists and exports show of a request. */
export const LISTED_AUDIT_FIELDS = [
  'id',
  'time',
  'cluster',
  'auditId',
  'receivedAt',
  'startedAt',
  'completedAt',
  'panickedAt',
  'verb',
  'username',
  'groups',
  'userAgent',
  'sourceIp',
  'sourceIps',
  'resource',
  'subresource',
  'namespace',
  'name',
  'requestUri',
  'responseCode',
  'decision',
  ...RBAC_PATH_FIELDS,
  'podName',
  'nodeName',
  'impersonatedUser',
  'sourceFormat',
] as const satisfies readonly AuditEventField[];
