// One rule over what the readers found: its exact predicate, the allowlist, its windows on event time,
// and the look-back edge. Pure: no I/O, no clock, so it is tested with plain vectors.
import { findAllowlistMatch, type CompiledEntry } from '../allowlist/match-allowlist';
import type { AllowlistHit } from '../allowlist/record-allowlist-hits';
import type { AlertCandidate, AnyRuleDefinition, DetectionAuditEvent, DetectionFileEvent, PriorWindow } from './types';

export type RuleInput = {
  /** Candidates the rule's prefilters selected over the range widened by its look-back and look-ahead. */
  auditEvents: DetectionAuditEvent[];
  fileEvents: DetectionFileEvent[];
  priorWindows: PriorWindow[];
};

export type RuleEvaluation = {
  candidates: AlertCandidate[];
  /** Per allowlist entry: the events it kept out. */
  allowlistHits: Map<string, AllowlistHit>;
  eventsScanned: number;
  allowlisted: number;
};

/** The range a rule must read so that windows straddling [from, to) are whole. */
export function widenRange(rule: AnyRuleDefinition, params: Record<string, number>, range: { from: Date; to: Date }) {
  return {
    from: new Date(range.from.getTime() - rule.lookbackMs(params)),
    to: new Date(range.to.getTime() + (rule.lookaheadMs?.(params) ?? 0)),
  };
}

/** The file events the sequence rule needs; audit events are then only read for the pods they name. */
export function matchFileEvents(rule: AnyRuleDefinition, params: Record<string, number>, events: DetectionFileEvent[]) {
  return events.filter((event) => rule.matchesFileEvent?.(event, params) ?? true);
}

export function evaluateRule(
  rule: AnyRuleDefinition,
  params: Record<string, number>,
  input: RuleInput,
  allowlist: readonly CompiledEntry[],
  range: { from: Date; to: Date },
): RuleEvaluation {
  const allowlistHits = new Map<string, AllowlistHit>();
  const events = input.auditEvents.filter((event) => {
    if (!rule.matches(event, params)) return false;
    const entry = findAllowlistMatch(allowlist, rule.id, event);
    if (!entry) return true;
    const hit = allowlistHits.get(entry.id) ?? { count: 0, last: event.time };
    allowlistHits.set(entry.id, { count: hit.count + 1, last: event.time > hit.last ? event.time : hit.last });
    return false;
  });
  const widened = widenRange(rule, params, range);
  const candidates = rule
    .evaluate({ events, fileEvents: input.fileEvents, params, priorWindows: input.priorWindows })
    // Windows wholly inside the look-back belong to an earlier run's range.
    .filter((candidate) => candidate.lastEventAt >= range.from && candidate.firstEventAt < widened.to);
  return {
    candidates,
    allowlistHits,
    eventsScanned: input.auditEvents.length + input.fileEvents.length,
    allowlisted: [...allowlistHits.values()].reduce((total, hit) => total + hit.count, 0),
  };
}
