import type { AuditEvent, DETECTION_AUDIT_FIELDS } from '../events/audit-event-columns';
import type { DETECTION_FILE_FIELDS, FileEvent } from '../events/file-event-columns';
import type { DetectedAlert } from '../alerts/replace-detected-alerts';
import type { AllowlistCondition } from '../allowlist/schemas';
import type { MitreEntry } from '../vocabulary/mitre';
import type { Severity } from '../vocabulary/severity';
import type { z } from 'zod';
import type { GroupWindow, Windowing } from './windowing';

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

/** The columns a group may be keyed on: the engine reads a group's history by them. */
export type GroupFields = Partial<Pick<DetectionAuditEvent, 'cluster' | 'username' | 'sourceIp' | 'userAgent'>>;

type RuleBase<P extends Record<string, number>> = RuleMetadata & {
  defaultParameters: P;
  parametersSchema: z.ZodType<P>;
  /** SQL WHERE fragment over audit_events selecting a superset of `matches`, cheaply and on indexes. Constant text. */
  prefilter: { sql: string };
  defaultAllowlist: DefaultAllowlistEntry[];
  /** The exact per-event predicate, every upstream exclusion included. */
  matches(event: DetectionAuditEvent, params: P): boolean;
};

/**
 * A rule over groups of audit events: each group's events, in time order, fall into windows, and a
 * window may raise an alert. The engine keeps every window between runs and recomputes only the part
 * of a group's history that new events can change (lib/detections/windowing.ts).
 */
export type WindowedRule<P extends Record<string, number>> = RuleBase<P> & {
  kind: 'windowed';
  /** The fields whose values make an event's group (its key is their JSON, formatGroupKey). */
  groupFields(event: DetectionAuditEvent, params: P): GroupFields;
  /** How a group's events fall into windows. */
  windowing(params: P): Windowing<DetectionAuditEvent>;
  /** The alert a window raises, or null when it does not reach the rule's threshold. */
  buildAlert(groupKey: string, window: GroupWindow<DetectionAuditEvent>, params: P): AlertCandidate | null;
};

/** A sequence rule: a container file event, then audit events of the same pod within a span. */
export type SequenceRule<P extends Record<string, number>> = RuleBase<P> & {
  kind: 'sequence';
  /** Same as `prefilter`, for file_events. */
  filePrefilter: { sql: string };
  matchesFileEvent(event: DetectionFileEvent, params: P): boolean;
  /** How long after its file event a sequence stays open. */
  spanMs(params: P): number;
  /** One alert per file event with followers: `events` and `fileEvents` sorted, already matched. */
  evaluate(input: { events: DetectionAuditEvent[]; fileEvents: DetectionFileEvent[]; params: P }): AlertCandidate[];
};

export type RuleDefinition<P extends Record<string, number>> = WindowedRule<P> | SequenceRule<P>;

/** A rule definition with its parameter type erased, as the registry holds them. */
export type AnyRuleDefinition = RuleDefinition<Record<string, number>>;

/** A positive or negative case a rule owns. */
export type RuleVector<P extends Record<string, number>> = {
  name: string;
  events: DetectionAuditEvent[];
  fileEvents?: DetectionFileEvent[];
  params?: Partial<P>;
  /**
   * The events as they arrive: each batch is stored, then detected over its own range, as the worker
   * does. Whatever the batches, the alerts must equal one run over all the events (`events`).
   */
  batches?: { events: string[]; detect?: { from: Date; to: Date } }[];
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
