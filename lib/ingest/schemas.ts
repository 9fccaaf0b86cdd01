import { z } from 'zod';
import { INGEST_FORMATS } from './types';

// Every schema validates only the fields the parsers read, so an unexpected value elsewhere in a record
// never rejects it. They run once per record (100k+ per second): no refinements, no transforms.

export const DECISION_ANNOTATION = 'authorization.k8s.io/decision';
export const REASON_ANNOTATION = 'authorization.k8s.io/reason';
export const POD_NAME_EXTRA = 'authentication.kubernetes.io/pod-name';
export const POD_UID_EXTRA = 'authentication.kubernetes.io/pod-uid';
export const NODE_NAME_EXTRA = 'authentication.kubernetes.io/node-name';

const requiredText = z.string().min(1, 'must not be empty');
const optionalText = z.string().nullish();
const optionalTextList = z.array(z.string()).nullish();
const optionalTextOrList = z
  .union([z.string(), z.array(z.string())], { error: 'expected string or array of strings' })
  .nullish();
const optionalCode = z.number().int().nullish();

// audit.k8s.io/v1 Event (also v1beta1: the fields read are the same).
export const k8sAuditEventSchema = z.looseObject({
  auditID: requiredText,
  stage: requiredText,
  verb: requiredText,
  level: optionalText,
  requestURI: optionalText,
  userAgent: optionalText,
  sourceIPs: optionalTextList,
  requestReceivedTimestamp: optionalText,
  stageTimestamp: optionalText,
  /** audit.k8s.io v1alpha1's only time (deprecated in v1beta1, gone in v1). */
  timestamp: optionalText,
  user: z
    .looseObject({
      username: optionalText,
      uid: optionalText,
      groups: optionalTextList,
      extra: z
        .looseObject({
          [POD_NAME_EXTRA]: optionalTextList,
          [POD_UID_EXTRA]: optionalTextList,
          [NODE_NAME_EXTRA]: optionalTextList,
        })
        .nullish(),
    })
    .nullish(),
  impersonatedUser: z.looseObject({ username: optionalText }).nullish(),
  objectRef: z
    .looseObject({
      resource: optionalText,
      subresource: optionalText,
      namespace: optionalText,
      name: optionalText,
      apiGroup: optionalText,
      apiVersion: optionalText,
    })
    .nullish(),
  responseStatus: z.looseObject({ code: optionalCode }).nullish(),
  annotations: z.looseObject({ [DECISION_ANNOTATION]: optionalText, [REASON_ANNOTATION]: optionalText }).nullish(),
});
export type K8sAuditEvent = z.infer<typeof k8sAuditEventSchema>;

// One CloudWatch Logs event: a get-log-events / filter-log-events element, a subscription logEvents
// element, or a Logs Insights result row (@message, @log).
export const cloudWatchLogEventSchema = z.looseObject({
  message: z.string().optional(),
  '@message': z.string().optional(),
  logGroup: optionalText,
  logGroupName: optionalText,
  '@log': optionalText,
});

export const cloudWatchSubscriptionSchema = z.looseObject({
  messageType: optionalText,
  logGroup: optionalText,
  logEvents: z.array(z.unknown()),
});

export const gkeAuditEntrySchema = z.looseObject({
  insertId: optionalText,
  timestamp: optionalText,
  receiveTimestamp: optionalText,
  protoPayload: z.looseObject({
    serviceName: z.string(),
    methodName: requiredText,
    resourceName: optionalText,
    authenticationInfo: z
      .looseObject({ principalEmail: optionalText, principalSubject: optionalText, authoritySelector: optionalText })
      .nullish(),
    requestMetadata: z
      .looseObject({ callerIp: optionalText, callerIP: optionalText, callerSuppliedUserAgent: optionalText })
      .nullish(),
    status: z.looseObject({ code: optionalCode }).nullish(),
  }),
  operation: z.looseObject({ id: optionalText, first: z.boolean().nullish(), last: z.boolean().nullish() }).nullish(),
  labels: z.looseObject({ [DECISION_ANNOTATION]: optionalText, [REASON_ANNOTATION]: optionalText }).nullish(),
  resource: z.looseObject({ labels: z.looseObject({ cluster_name: optionalText }).nullish() }).nullish(),
});
export type GkeAuditEntry = z.infer<typeof gkeAuditEntrySchema>;

export const aksDiagnosticRecordSchema = z.looseObject({
  category: z.string(),
  resourceId: optionalText,
  properties: z.looseObject({
    log: z.union([z.string(), z.record(z.string(), z.unknown())], { error: 'expected string or object' }),
  }),
});

// ECS documents arrive nested ({"kubernetes":{"audit":…}}), dotted ({"kubernetes.audit.verb":…}) or mixed
// (Elastic's sample_event shows both), so their fields are read by ECS path first (readEcsFields) and the
// flat result is validated here, keyed by path: a bad value is reported as "kubernetes.audit.verb: …".
export const ecsAuditFieldsSchema = z.object({
  'kubernetes.audit.auditID': requiredText,
  'kubernetes.audit.stage': requiredText,
  'kubernetes.audit.verb': requiredText,
  'kubernetes.audit.level': optionalText,
  'kubernetes.audit.requestURI': optionalText,
  'kubernetes.audit.userAgent': optionalText,
  'user_agent.original': optionalText,
  'kubernetes.audit.sourceIPs': optionalTextOrList,
  'source.ip': optionalTextOrList,
  'kubernetes.audit.user.username': optionalText,
  'user.name': optionalText,
  'kubernetes.audit.user.uid': optionalText,
  'user.id': optionalText,
  'kubernetes.audit.user.groups': optionalTextOrList,
  [`kubernetes.audit.user.extra.${POD_NAME_EXTRA}`]: optionalTextOrList,
  [`kubernetes.audit.user.extra.${POD_UID_EXTRA}`]: optionalTextOrList,
  [`kubernetes.audit.user.extra.${NODE_NAME_EXTRA}`]: optionalTextOrList,
  'kubernetes.audit.impersonatedUser.username': optionalText,
  'kubernetes.audit.objectRef.resource': optionalText,
  'kubernetes.audit.objectRef.subresource': optionalText,
  'kubernetes.audit.objectRef.namespace': optionalText,
  'kubernetes.audit.objectRef.name': optionalText,
  'kubernetes.audit.objectRef.apiGroup': optionalText,
  'kubernetes.audit.objectRef.apiVersion': optionalText,
  'kubernetes.audit.responseStatus.code': optionalCode,
  // The integration pipeline rewrites "." to "_" in annotation keys; documents indexed without it keep them.
  'kubernetes.audit.annotations.authorization_k8s_io/decision': optionalText,
  'kubernetes.audit.annotations.authorization_k8s_io/reason': optionalText,
  [`kubernetes.audit.annotations.${DECISION_ANNOTATION}`]: optionalText,
  [`kubernetes.audit.annotations.${REASON_ANNOTATION}`]: optionalText,
  'event.outcome': optionalText,
  'kubernetes.audit.requestReceivedTimestamp': optionalText,
  'kubernetes.audit.stageTimestamp': optionalText,
  '@timestamp': optionalText,
  'orchestrator.cluster.name': optionalText,
});
export type EcsAuditFields = z.infer<typeof ecsAuditFieldsSchema>;

export const ecsFileEventFieldsSchema = z.object({
  '@timestamp': z.string(),
  'file.path': requiredText,
  'event.action': requiredText,
  'event.id': optionalText,
  'event.category': optionalTextOrList,
  'event.type': optionalTextOrList,
  'process.interactive': z.boolean().nullish(),
  'process.name': optionalText,
  'process.executable': optionalText,
  'process.args': optionalTextOrList,
  'process.pid': z.number().int().nullish(),
  'process.user.name': optionalText,
  'container.id': optionalText,
  'orchestrator.resource.name': optionalText,
  'orchestrator.namespace': optionalText,
  'orchestrator.cluster.name': optionalText,
  'host.os.type': optionalText,
});
export type EcsFileEventFields = z.infer<typeof ecsFileEventFieldsSchema>;

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const splitPaths = new Map<string, string[]>();

/** Reads one ECS field by dotted path, whether the document nests it, dots it, or mixes both. */
export function readEcsField(document: JsonObject, path: string): unknown {
  if (Object.hasOwn(document, path)) return document[path];
  let segments = splitPaths.get(path);
  if (segments === undefined) {
    segments = path.split('.');
    splitPaths.set(path, segments);
  }
  return readSegments(document, segments, 0);
}

function readSegments(node: JsonObject, segments: string[], start: number): unknown {
  let key = '';
  for (let end = start; end < segments.length; end++) {
    key = end === start ? segments[end]! : `${key}.${segments[end]}`;
    if (!Object.hasOwn(node, key)) continue;
    const value = node[key];
    if (end === segments.length - 1) return value;
    if (isJsonObject(value)) {
      const found = readSegments(value, segments, end + 1);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

const schemaPaths = new WeakMap<z.ZodObject, string[]>();

/** Reads every field a flat ECS schema names, ready for its safeParse. */
export function readEcsFields(document: JsonObject, schema: z.ZodObject): JsonObject {
  let paths = schemaPaths.get(schema);
  if (paths === undefined) {
    paths = Object.keys(schema.shape);
    schemaPaths.set(schema, paths);
  }
  const fields: JsonObject = {};
  for (const path of paths) {
    const value = readEcsField(document, path);
    if (value !== undefined) fields[path] = value;
  }
  return fields;
}

// Parameters of the ways in (REST, webhook, CLI).
export const ingestFormatSchema = z.enum(['auto', ...INGEST_FORMATS], {
  error: `must be one of: auto, ${INGEST_FORMATS.join(', ')}`,
});

/** Cluster names are shown and filtered on: keep them plain. */
export const clusterNameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, 'may hold letters, digits and . _ : / - only');

export const ingestParamsSchema = z.object({
  format: ingestFormatSchema.default('auto'),
  cluster: clusterNameSchema.optional(),
  fileName: z.string().trim().min(1).max(255).optional(),
  batchId: z.uuid({ error: 'must be a UUID' }).optional(),
});

export type IngestParams = z.infer<typeof ingestParamsSchema>;
