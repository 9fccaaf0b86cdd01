import type { z } from 'zod';

export type Severity = 'low' | 'medium' | 'high' | 'critical';

export type MitreEntry = {
  tactic: { id: string; name: string };
  technique: { id: string; name: string };
  subtechnique?: { id: string; name: string };
};

/** What every rule declares about itself; the detection logic is added beside it. */
export type RuleMetadata = {
  id: string;
  name: string;
  description: string;
  severity: Severity;
  riskScore: number;
  mitre: MitreEntry[];
  /** Where the logic comes from upstream. */
  upstream: { source: string; reference: string; version: string };
  defaultParameters: Record<string, number>;
};

/** The columns of a stored audit event (audit_events) the rules read. */
export type DetectionAuditEvent = {
  /** audit_events.id, a bigint, as text. */
  id: string;
  cluster: string;
  auditId: string;
  stage: string;
  /** requestReceivedTimestamp: every window runs on it. */
  time: Date;
  verb: string;
  username: string | null;
  groups: string[];
  userAgent: string | null;
  /** Every sourceIPs entry; all but the last can be set by the client. */
  sourceIps: string[];
  /** The last sourceIPs entry: the only one a client cannot forge. */
  sourceIp: string | null;
  resource: string | null;
  subresource: string | null;
  namespace: string | null;
  name: string | null;
  requestUri: string | null;
  /** HTTP status; GKE's gRPC codes are mapped at ingest. */
  responseCode: number | null;
  /** authorization.k8s.io/decision: allow or forbid. */
  decision: string | null;
  podName: string | null;
  podUid: string | null;
  nodeName: string | null;
  /** Not stored: rules must not rely on it. */
  userExtra?: Record<string, string[]>;
};

/** The columns of a stored container file event (file_events) the rules read. */
export type DetectionFileEvent = {
  /** file_events.id, a bigint, as text. */
  id: string;
  cluster: string;
  time: Date;
  path: string;
  action: string;
  types: string[];
  interactive: boolean | null;
  containerId: string | null;
  podName: string | null;
  namespace: string | null;
  hostOs: string | null;
  processName: string | null;
};

export type AllowlistOperator = 'exact' | 'prefix' | 'cidr' | 'glob' | 'oneOf';

/** One field matcher of an allowlist entry; an entry's conditions are joined by AND. */
export type AllowlistCondition = {
  /** A DetectionAuditEvent field name (username, sourceIp, namespace, name, podName, userAgent, groups, …). */
  field: string;
  op: AllowlistOperator;
  value: string | string[];
};

/** Upstream tuning added after the rule's version: shipped as an editable allowlist entry, not hard-coded. */
export type DefaultAllowlistEntry = {
  conditions: AllowlistCondition[];
  reason: string;
};

/** One alert a rule would raise; the engine upserts it by `identity`. */
export type AlertCandidate = {
  ruleId: string;
  /** Stable and readable: the JSON of the grouping fields. */
  groupKey: string;
  windowStart: Date;
  windowEnd: Date;
  /** sha256 of ruleId, groupKey and windowStart (ISO): re-runs and late events update, never duplicate. */
  identity: string;
  severity: Severity;
  riskScore: number;
  firstEventAt: Date;
  lastEventAt: Date;
  auditEventIds: string[];
  fileEventIds: string[];
  username: string | null;
  /** The last (trusted) source IP of the first evidence event. */
  sourceIp: string | null;
  /** Every source IP seen in the evidence, forgeable ones included. */
  sourceIps: string[];
  userAgent: string | null;
  podName: string | null;
  namespaces: string[];
  secretNames: string[];
  /** Authorization decisions seen: allow, forbid. */
  outcomes: string[];
  responseCodes: number[];
  cluster: string;
  details: Record<string, unknown>;
};

/** An alert window already persisted, so a re-run or a late event lands in it instead of opening a new one. */
export type PriorWindow = { groupKey: string; windowStart: Date; windowEnd: Date };

export type RuleEvaluationInput<P> = {
  /** Events that passed `matches` (and the allowlist), sorted by time. */
  events: DetectionAuditEvent[];
  /** Raw file events of the range (rules that join them apply their own file predicate). */
  fileEvents?: DetectionFileEvent[];
  params: P;
  priorWindows?: PriorWindow[];
};

/** A rule: its metadata, the tunable parameters and the pure logic. No I/O, no clock. */
export type RuleDefinition<P extends Record<string, number>> = RuleMetadata & {
  defaultParameters: P;
  parametersSchema: z.ZodType<P>;
  /** SQL WHERE fragment over audit_events selecting a superset of `matches`, cheaply and on indexes. Constant text. */
  prefilter: { sql: string };
  /** Same for file_events, for rules that read them. */
  filePrefilter?: { sql: string };
  defaultAllowlist: DefaultAllowlistEntry[];
  /** The exact per-event predicate, every upstream exclusion included. */
  matches(event: DetectionAuditEvent, params: P): boolean;
  matchesFileEvent?(event: DetectionFileEvent, params: P): boolean;
  /** Grouping, window and threshold, on event time. */
  evaluate(input: RuleEvaluationInput<P>): AlertCandidate[];
  /** How far before a range start the engine must also read so that windows straddling the start are whole. */
  lookbackMs(params: P): number;
  /** How far after a range end the engine must also read (sequence rules whose window opens at the first event). */
  lookaheadMs?(params: P): number;
};

/** A rule definition with its parameter type erased, as the registry holds them. */
export type AnyRuleDefinition = RuleDefinition<Record<string, number>>;

/** A positive or negative case a rule owns. */
export type RuleVector<P extends Record<string, number>> = {
  name: string;
  events: DetectionAuditEvent[];
  fileEvents?: DetectionFileEvent[];
  params?: Partial<P>;
  priorWindows?: PriorWindow[];
  expect: {
    alerts: number;
    /** How many of `events` pass `matches`. */
    matched?: number;
    /** Audit evidence ids per alert, in alert order. */
    auditEventIds?: string[][];
    fileEventIds?: string[][];
    severities?: Severity[];
    windowStarts?: string[];
    details?: Record<string, unknown>[];
  };
};
