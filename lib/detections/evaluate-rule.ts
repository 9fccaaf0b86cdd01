// One run of a rule over a set of events: its exact predicate, the allowlist, then its windows or
// sequences. Pure: no I/O, no clock, so it is tested with plain vectors, and it is the reference the
// engine's incremental recomputation must equal.
import { findAllowlistMatch, type CompiledEntry } from '../allowlist/match-allowlist';
import type { AllowlistHit } from '../allowlist/record-allowlist-hits';
import { formatGroupKey, sortByTime } from './build-alert-candidate';
import type {
  AlertCandidate,
  AnyRuleDefinition,
  DetectionAuditEvent,
  DetectionFileEvent,
  GroupFields,
  WindowedRule,
} from './types';
import { computeWindows } from './windowing';

export type RuleInput = { auditEvents: DetectionAuditEvent[]; fileEvents: DetectionFileEvent[] };

export type RuleEvaluation = {
  candidates: AlertCandidate[];
  /** Per allowlist entry: the events it kept out. */
  allowlistHits: Map<string, AllowlistHit>;
  eventsScanned: number;
  allowlisted: number;
};

export type MatchedEvents = { events: DetectionAuditEvent[]; allowlistHits: Map<string, AllowlistHit> };

/** The events the rule sees: its predicate, then the allowlist (each entry's hits counted), in time order. */
export function matchEvents(
  rule: AnyRuleDefinition,
  params: Record<string, number>,
  events: readonly DetectionAuditEvent[],
  allowlist: readonly CompiledEntry[],
): MatchedEvents {
  const allowlistHits = new Map<string, AllowlistHit>();
  const matched = events.filter((event) => {
    if (!rule.matches(event, params)) return false;
    const entry = findAllowlistMatch(allowlist, rule.id, event);
    if (!entry) return true;
    const hit = allowlistHits.get(entry.id) ?? { count: 0, last: event.time };
    allowlistHits.set(entry.id, { count: hit.count + 1, last: event.time > hit.last ? event.time : hit.last });
    return false;
  });
  return { events: sortByTime(matched), allowlistHits };
}

export function matchFileEvents(
  rule: AnyRuleDefinition,
  params: Record<string, number>,
  events: readonly DetectionFileEvent[],
) {
  return rule.kind === 'sequence' ? sortByTime(events.filter((event) => rule.matchesFileEvent(event, params))) : [];
}

/** Matched events (time order kept) by the rule's group key. */
export function groupEvents(
  rule: WindowedRule<Record<string, number>>,
  params: Record<string, number>,
  events: readonly DetectionAuditEvent[],
): Map<string, DetectionAuditEvent[]> {
  const groups = new Map<string, DetectionAuditEvent[]>();
  for (const event of events) {
    const key = formatGroupKey(rule.groupFields(event, params));
    const group = groups.get(key);
    if (group) group.push(event);
    else groups.set(key, [event]);
  }
  return groups;
}

/** The alerts of one group's matched events (time order), windows from its first event. */
export function detectGroup(
  rule: WindowedRule<Record<string, number>>,
  params: Record<string, number>,
  groupKey: string,
  events: readonly DetectionAuditEvent[],
) {
  const windows = computeWindows(rule.windowing(params), events);
  return { windows, alerts: windows.flatMap((window) => rule.buildAlert(groupKey, window, params) ?? []) };
}

export function compareCandidates(left: AlertCandidate, right: AlertCandidate): number {
  return (
    left.windowStart.getTime() - right.windowStart.getTime() ||
    (left.identity < right.identity ? -1 : left.identity > right.identity ? 1 : 0)
  );
}

/** One run over everything given: what the rule raises from these events alone. */
export function evaluateRule(
  rule: AnyRuleDefinition,
  params: Record<string, number>,
  input: RuleInput,
  allowlist: readonly CompiledEntry[],
): RuleEvaluation {
  const { events, allowlistHits } = matchEvents(rule, params, input.auditEvents, allowlist);
  const candidates =
    rule.kind === 'sequence'
      ? rule.evaluate({ events, fileEvents: matchFileEvents(rule, params, input.fileEvents), params })
      : [...groupEvents(rule, params, events)].flatMap(([key, group]) => detectGroup(rule, params, key, group).alerts);
  return {
    candidates: candidates.sort(compareCandidates),
    allowlistHits,
    eventsScanned: input.auditEvents.length + input.fileEvents.length,
    allowlisted: [...allowlistHits.values()].reduce((total, hit) => total + hit.count, 0),
  };
}

/** A group some stored events changed, and the span of event time they changed. */
export type ChangedGroup = { key: string; fields: GroupFields; from: Date; to: Date };

/** The groups matched events belong to, each with the first and last time among them. */
export function listChangedGroups(
  rule: WindowedRule<Record<string, number>>,
  params: Record<string, number>,
  events: readonly DetectionAuditEvent[],
): ChangedGroup[] {
  const groups = new Map<string, ChangedGroup>();
  for (const event of events) {
    const fields = rule.groupFields(event, params);
    const key = formatGroupKey(fields);
    const group = groups.get(key);
    if (!group) groups.set(key, { key, fields, from: event.time, to: event.time });
    else {
      if (event.time < group.from) group.from = event.time;
      if (event.time > group.to) group.to = event.time;
    }
  }
  return [...groups.values()].sort((left, right) => (left.key < right.key ? -1 : left.key > right.key ? 1 : 0));
}
