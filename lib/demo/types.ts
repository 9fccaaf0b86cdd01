// Raw shapes the scenario generator emits (before any ingest format wraps them) and its ground truth.

export type AuditStage = 'RequestReceived' | 'ResponseStarted' | 'ResponseComplete' | 'Panic';

export type K8sUserInfo = {
  username: string;
  uid?: string;
  groups?: string[];
  /** Bound service-account tokens: authentication.kubernetes.io/pod-name, pod-uid, node-name, credential-id (1-element arrays). */
  extra?: Record<string, string[]>;
};

export type K8sObjectReference = {
  resource: string;
  namespace?: string;
  name?: string;
  apiGroup?: string;
  apiVersion: string;
  subresource?: string;
};

export type K8sResponseStatus = {
  metadata: Record<string, never>;
  status?: 'Failure';
  message?: string;
  reason?: string;
  code: number;
};

/** A native audit.k8s.io/v1 Event, keys in the order kube-apiserver writes them. */
export type K8sAuditEvent = {
  kind: 'Event';
  apiVersion: 'audit.k8s.io/v1';
  level: 'Metadata' | 'Request' | 'RequestResponse';
  auditID: string;
  stage: AuditStage;
  requestURI: string;
  verb: string;
  user: K8sUserInfo;
  impersonatedUser?: K8sUserInfo;
  sourceIPs: string[];
  userAgent?: string;
  objectRef?: K8sObjectReference;
  /** Absent at stage RequestReceived. */
  responseStatus?: K8sResponseStatus;
  requestReceivedTimestamp: string;
  stageTimestamp: string;
  /** authorization.k8s.io/decision and /reason; absent at stage RequestReceived (authorization runs later). */
  annotations?: Record<string, string>;
};

type ProcessRef = { pid: number; entity_id: string; name?: string; executable?: string };

/** An Elastic Defend for Containers file event document (logs-cloud_defend.file-*), nested ECS objects. */
export type DefendFileEvent = {
  '@timestamp': string;
  agent: { id: string; type: 'cloud-defend'; version: string };
  cloud: { provider: string; region: string };
  cloud_defend: { trace_point: string; package_policy_id: string; package_policy_revision: number };
  container: { id: string; name: string; image: { name: string; tag: string[] } };
  data_stream: { dataset: 'cloud_defend.file'; namespace: string; type: 'logs' };
  ecs: { version: string };
  event: {
    id: string;
    kind: 'event';
    category: ['file'];
    type: string[];
    action: 'open' | 'creation' | 'modification' | 'deletion' | 'rename' | 'link';
    dataset: 'cloud_defend.file';
    module: 'cloud_defend';
    ingested: string;
  };
  file: { path: string; name: string; extension?: string };
  host: { name: string; hostname: string; id: string; os: { type: 'linux'; kernel: string; name: string } };
  orchestrator: {
    cluster: { name: string };
    namespace: string;
    resource: { name: string; type: 'pod' };
    type: 'kubernetes';
  };
  process: ProcessRef & {
    args: string[];
    args_count: number;
    executable: string;
    name: string;
    interactive: boolean;
    working_directory: string;
    start: string;
    user: { id: number; name: string };
    group: { id: number; name: string };
    parent: ProcessRef;
    session_leader: ProcessRef;
    entry_leader: ProcessRef & { entry_meta: { type: 'container' } };
  };
};

export type DetectionRuleId =
  | 'secret-read-by-node-or-pod-sa'
  | 'rapid-secret-get-multiple-objects'
  | 'secret-enumeration-by-user'
  | 'sa-token-access-then-api-request';

/** The fields an alert is grouped by; only the ones meaningful for the rule are set. */
export type AlertKey = {
  username?: string;
  sourceIp?: string;
  userAgent?: string;
  podName?: string;
  /** R4: the pod's namespace (Vigil joins on it); R1: the service account's namespace. */
  namespace?: string;
};

/**
 * One alert the rules must raise over the scenario. Grouping (how many upstream alerts fold into one):
 * R1 per identity with a 60-minute suppression window anchored on the first match; R2 per client
 * fingerprint and burst (≥3 distinct names within 6 minutes); R3 per user, 30-minute window anchored
 * on the first match (Panther dedup); R4 per token-read file event, audit events in the next 60 s.
 * Planted activity never straddles an epoch-aligned window of those lengths, so tumbling-window
 * engines agree.
 */
export type ExpectedAlert = {
  ruleId: DetectionRuleId;
  /** Which planted activity raises it, e.g. "r1-compromised-pod-service-account". */
  scenario: string;
  summary: string;
  severity: 'medium' | 'high';
  key: AlertKey;
  /** requestReceivedTimestamp of the first and last contributing audit event (R4: the file event opens the span). */
  firstEventTime: string;
  lastEventTime: string;
  /** Distinct auditIDs of the contributing audit events, in time order. */
  auditIds: string[];
  /** Contributing requests: Vigil stores a request logged at RequestReceived and ResponseComplete once. */
  auditEventCount: number;
  /** event.id of the contributing file events (R4). */
  fileEventIds: string[];
  /** R2: distinct secret names; R3: distinct unique() values; R1: the secrets touched ("list:<ns>" for lists). */
  distinctValues: string[];
  namespaces: string[];
  /** authorization decisions seen among contributing events. */
  outcomes: string[];
};

/** Planted activity that looks close to an attack but must raise no alert in Vigil. */
export type DecoyActivity = {
  ruleId: DetectionRuleId;
  scenario: string;
  summary: string;
  /** Why no alert: the semantics that keep it out. */
  reason: string;
  key: AlertKey;
  auditIds: string[];
  fileEventIds: string[];
  /** True when the upstream rule, as published, would alert on it (a known upstream false positive). */
  upstreamWouldAlert: boolean;
};

export type GroundTruth = {
  seed: number;
  cluster: string;
  start: string;
  end: string;
  auditEvents: number;
  fileEvents: number;
  alerts: ExpectedAlert[];
  decoys: DecoyActivity[];
};

export type ScenarioOptions = {
  seed?: number;
  /** Total audit events (rows, every stage counted), default 20,000. */
  events?: number;
  /** End of the span; callers pass `new Date()`. Defaults to a fixed date so output is reproducible. */
  end?: Date;
  /** Length of the span in hours, default 6, at least 2. */
  hours?: number;
  cluster?: string;
};

export type Scenario = {
  seed: number;
  cluster: string;
  start: Date;
  end: Date;
  auditEventCount: number;
  fileEventCount: number;
  /** Native audit events in requestReceivedTimestamp order; each call starts over and yields the same sequence. */
  auditEvents(): Generator<K8sAuditEvent>;
  /** Defend for Containers file events in @timestamp order. */
  fileEvents(): Generator<DefendFileEvent>;
  groundTruth: GroundTruth;
};
