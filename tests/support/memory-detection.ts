// The engine's recomputation (lib/detections/recompute-*.ts) over stores kept in memory: what the
// worker does batch by batch, without a database, for the rules' vectors.
import type { CompiledEntry } from '../../lib/allowlist/match-allowlist';
import { compareCandidates, listChangedGroups, matchEvents } from '../../lib/detections/evaluate-rule';
import { recomputeGroup, type GroupStore, type RecomputeSpan } from '../../lib/detections/recompute-group';
import { recomputeSequences, sequencesTouchedBy, type SequenceStore } from '../../lib/detections/recompute-sequences';
import type {
  AlertCandidate,
  AnyRuleDefinition,
  DetectionAuditEvent,
  DetectionFileEvent,
  GroupFields,
} from '../../lib/detections/types';
import { compareEvents, startsWithin, type WindowSpan } from '../../lib/detections/windowing';

type Range = { from: Date; to: Date };

const within = (time: Date, from: Date | null, to: Date) =>
  (from === null || time.getTime() >= from.getTime()) && time.getTime() < to.getTime();

export function createMemoryDetection(
  rule: AnyRuleDefinition,
  params: Record<string, number>,
  allowlist: readonly CompiledEntry[] = [],
) {
  const audit: DetectionAuditEvent[] = [];
  const files: DetectionFileEvent[] = [];
  const windows = new Map<string, WindowSpan[]>();
  const alerts = new Map<string, AlertCandidate>();

  const replaceAlerts = (groupKey: string | null, span: RecomputeSpan, candidates: readonly AlertCandidate[]) => {
    for (const [identity, alert] of alerts) {
      if ((groupKey === null || alert.groupKey === groupKey) && startsWithin(alert.windowStart, span.from, span.until))
        alerts.delete(identity);
    }
    for (const candidate of candidates) alerts.set(candidate.identity, candidate);
  };

  const groupStore: GroupStore<void> = {
    async readWindowsAround(groupKey, time, before) {
      const kept = (windows.get(groupKey) ?? []).filter((window) => window.start < before);
      const lastBy = kept.filter((window) => window.start <= time).at(-1);
      return kept.filter((window) => window.end >= time || window === lastBy);
    },
    async readWindowsOpening(groupKey, from, before) {
      return (windows.get(groupKey) ?? []).filter((window) => startsWithin(window.start, from, before));
    },
    async readGroupEvents(group: GroupFields, from, to) {
      return audit
        .filter((event) => within(event.time, from, to))
        .filter((event) => Object.entries(group).every(([field, value]) => event[field as keyof GroupFields] === value))
        .sort(compareEvents);
    },
    async replaceWindows(groupKey, span, replacement) {
      const kept = (windows.get(groupKey) ?? []).filter((window) => !startsWithin(window.start, span.from, span.until));
      windows.set(
        groupKey,
        [...kept, ...replacement].sort((left, right) => left.start.getTime() - right.start.getTime()),
      );
    },
    async replaceAlerts(groupKey, span, candidates) {
      replaceAlerts(groupKey, span, candidates);
    },
  };

  const sequenceStore: SequenceStore<void> = {
    async readFileEvents(range) {
      return files.filter((event) => within(event.time, range.from, range.to)).sort(compareEvents);
    },
    async readPodEvents(pods, range) {
      return audit
        .filter(
          (event) => event.podName !== null && pods.includes(event.podName) && within(event.time, range.from, range.to),
        )
        .sort(compareEvents);
    },
    async replaceAlerts(span, candidates) {
      replaceAlerts(null, span, candidates);
    },
  };

  const storedTo = () => new Date(Math.max(0, ...[...audit, ...files].map((event) => event.time.getTime())) + 1);

  return {
    store(events: readonly DetectionAuditEvent[], fileEvents: readonly DetectionFileEvent[] = []) {
      audit.push(...events);
      files.push(...fileEvents);
    },
    /** The worker's detect job over events stored (or changed) in [from, to). */
    async detect(range: Range) {
      if (rule.kind === 'sequence') {
        const touched = sequencesTouchedBy(rule, params, range);
        await recomputeSequences(
          sequenceStore,
          { rule, params, allowlist },
          { from: touched.from, until: touched.to },
          touched,
        );
        return;
      }
      const changed = matchEvents(
        rule,
        params,
        audit.filter((event) => within(event.time, range.from, range.to)),
        allowlist,
      );
      const context = { rule, params, allowlist, storedTo: storedTo() };
      for (const group of listChangedGroups(rule, params, changed.events))
        await recomputeGroup(groupStore, context, group);
    },
    alerts(): AlertCandidate[] {
      return [...alerts.values()].sort(compareCandidates);
    },
  };
}

/** The event-time range of a batch, as ingest marks it pending: [first, last + 1 ms). */
export function rangeOf(events: readonly { time: Date }[]): Range | null {
  if (events.length === 0) return null;
  const times = events.map((event) => event.time.getTime());
  return { from: new Date(Math.min(...times)), to: new Date(Math.max(...times) + 1) };
}
