import type { AuditEvent, DETECTION_AUDIT_FIELDS } from '../events/audit-event-columns';
import type { DETECTION_FILE_FIELDS, FileEvent } from '../events/file-event-columns';
import type { AlertWindow } from '../alerts/list-alert-windows';
import type { DetectedAlert } from '../alerts/record-detected-alert';
import type { AllowlistCondition } from '../allowlist/schemas';
import type { MitreEntry } from '../vocabulary/mitre';
import type { Severity } from '../vocabulary/severity';
import type { z } from 'zod';

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

/** The columns of a stored audit event the rules read (audit_events; id as text). */
export type DetectionAuditEvent = Pick<AuditEvent, (typeof DETECTION_AUDIT_FIELDS)[number]>;

/** The columns of a stored container file event the sequence rule reads (file_events; id as text). */
export type DetectionFileEvent = Pick<FileEvent, (typeof DETECTION_FILE_FIELDS)[number]>;

/** Upstream tuning added after the rule's version: shipped as an editable allowlist entry, not hard-coded. */
export type DefaultAllowlistEntry = {
  conditions: AllowlistCondition[];
  reason: string;
};

/** One alert a rule would raise; the alerts module records it by `identity`. */
export type AlertCandidate = DetectedAlert;

/** An alert window already persisted, so a re-run or a late event lands in it instead of opening a new one. */
export type PriorWindow = AlertWindow;

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
