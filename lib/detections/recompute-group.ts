// Recomputes the part of one group's history that changed events can change: from where the kept
// windows say the change can first matter (findRecomputeStart) to where the recomputed and kept
// windows agree again (findRecomputeEnd), reading further while they do not. The group's windows and
// alerts in that span are then replaced, so the result equals one run over everything. The store is
// handed in (the database, or memory in the vectors), so the algorithm itself does no I/O.
import type { CompiledEntry } from '../allowlist/match-allowlist';
import { matchEvents, type ChangedGroup } from './evaluate-rule';
import type { AlertCandidate, DetectionAuditEvent, GroupFields, WindowedRule } from './types';
import { computeWindows, findRecomputeEnd, findRecomputeStart, startsWithin, type WindowSpan } from './windowing';

export type RecomputeSpan = { from: Date | null; until: Date | 'end' };

/** Where a rule's windows, events and alerts are kept, for one rule. */
export type GroupStore<Replaced> = {
  /** The group's kept windows that could hold `time` or follow it (see detection-windows.ts), opening before `before`. */
  readWindowsAround(groupKey: string, time: Date, before: Date): Promise<WindowSpan[]>;
  /** The group's kept windows opening in [from, before). */
  readWindowsOpening(groupKey: string, from: Date | null, before: Date | 'end'): Promise<WindowSpan[]>;
  /** The group's candidate events in [from, to), in time order (a superset: the rule's predicate is applied here). */
  readGroupEvents(group: GroupFields, from: Date | null, to: Date): Promise<DetectionAuditEvent[]>;
  replaceWindows(groupKey: string, span: RecomputeSpan, windows: readonly WindowSpan[]): Promise<void>;
  replaceAlerts(groupKey: string, span: RecomputeSpan, candidates: readonly AlertCandidate[]): Promise<Replaced>;
};

export type GroupRecomputation = {
  rule: WindowedRule<Record<string, number>>;
  params: Record<string, number>;
  allowlist: readonly CompiledEntry[];
  /** The latest stored event time: nothing of any group lies beyond it. */
  storedTo: Date;
};

/** Recomputes one group. `fromStart`: from the group's first event, whatever is kept (a rebuild). */
export async function recomputeGroup<Replaced>(
  store: GroupStore<Replaced>,
  context: GroupRecomputation,
  group: ChangedGroup,
  options: { fromStart?: boolean } = {},
): Promise<{ replaced: Replaced; eventsRead: number }> {
  const { rule, params, allowlist, storedTo } = context;
  const windowing = rule.windowing(params);
  const lengthMs = windowing.kind === 'anchored' ? windowing.lengthMs : windowing.gapMs;
  let start: Date | null = null;
  if (!options.fromStart) {
    const from = new Date(group.from.getTime() - (windowing.kind === 'anchored' ? 0 : windowing.gapMs));
    const around = await store.readWindowsAround(group.key, from, new Date(group.from.getTime() + 1));
    start = findRecomputeStart(windowing, around, group.from);
  }
  const read = async (from: Date | null, to: Date) =>
    matchEvents(rule, params, await store.readGroupEvents(group.fields, from, to), allowlist).events;

  let readTo = new Date(group.to.getTime() + 1 + 2 * lengthMs);
  const events = await read(start, readTo);
  let eventsRead = events.length;
  for (;;) {
    const complete = readTo > storedTo;
    const kept = await store.readWindowsOpening(group.key, start, complete ? 'end' : readTo);
    const recomputed = computeWindows(windowing, events);
    const end = findRecomputeEnd(windowing, {
      recomputed,
      persisted: kept,
      events,
      changedTo: group.to,
      readTo,
      complete,
    });
    if (end !== 'read-further') {
      const span = { from: start, until: end.until };
      const windows = recomputed.filter((window) => startsWithin(window.start, span.from, span.until));
      await store.replaceWindows(group.key, span, windows);
      const candidates = windows.flatMap((window) => rule.buildAlert(group.key, window, params) ?? []);
      return { replaced: await store.replaceAlerts(group.key, span, candidates), eventsRead };
    }
    // Read twice as far each time: a chain that keeps shifting is read in a logarithmic number of steps.
    const next = new Date(readTo.getTime() + (readTo.getTime() - group.to.getTime()));
    const more = await read(readTo, next);
    eventsRead += more.length;
    events.push(...more);
    readTo = next;
  }
}
