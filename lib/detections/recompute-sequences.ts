// Recomputes a sequence rule over the file events changed events can complete: those opening from one
// span before the change to its end. Every such file event's alert is evaluated whole (its followers
// read up to one span after it), so the result equals one run over everything. The store is handed in.
import type { CompiledEntry } from '../allowlist/match-allowlist';
import { matchEvents, matchFileEvents } from './evaluate-rule';
import type { RecomputeSpan } from './recompute-group';
import type { AlertCandidate, DetectionAuditEvent, DetectionFileEvent, SequenceRule } from './types';

type Range = { from: Date; to: Date };

export type SequenceStore<Replaced> = {
  /** File candidates opening in [from, to), in time order. */
  readFileEvents(range: Range): Promise<DetectionFileEvent[]>;
  /** Audit candidates of these pods in [from, to), in time order. */
  readPodEvents(pods: string[], range: Range): Promise<DetectionAuditEvent[]>;
  replaceAlerts(span: RecomputeSpan, candidates: readonly AlertCandidate[]): Promise<Replaced>;
};

export type SequenceRecomputation = {
  rule: SequenceRule<Record<string, number>>;
  params: Record<string, number>;
  allowlist: readonly CompiledEntry[];
};

/** The file events that events changed in [from, to) can complete open in this range. */
export function sequencesTouchedBy(
  rule: SequenceRule<Record<string, number>>,
  params: Record<string, number>,
  changed: Range,
): Range {
  return { from: new Date(changed.from.getTime() - rule.spanMs(params)), to: changed.to };
}

/**
 * The alerts of file events opening in `span`, recomputed from those opening in `read` (no file event
 * of the span lies outside it).
 */
export async function recomputeSequences<Replaced>(
  store: SequenceStore<Replaced>,
  context: SequenceRecomputation,
  span: RecomputeSpan,
  read: Range,
): Promise<{ replaced: Replaced; eventsRead: number }> {
  const { rule, params, allowlist } = context;
  const files = matchFileEvents(rule, params, await store.readFileEvents(read));
  const pods = [...new Set(files.map((event) => event.podName).filter((pod): pod is string => pod !== null))];
  const audit =
    pods.length === 0
      ? []
      : await store.readPodEvents(pods, { from: read.from, to: new Date(read.to.getTime() + rule.spanMs(params)) });
  const { events } = matchEvents(rule, params, audit, allowlist);
  const candidates = rule.evaluate({ events, fileEvents: files, params });
  return { replaced: await store.replaceAlerts(span, candidates), eventsRead: files.length + audit.length };
}
