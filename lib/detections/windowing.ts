// A group's windows on event time, and how much of a group's history a recomputation must cover
// so that recomputing part of it gives exactly what one run over all of it gives. Pure.

/** Anchored tumbling windows (Panther's dedup period): [first, first + length), the next opens at the first event after. */
export type AnchoredWindowing = { kind: 'anchored'; lengthMs: number };

/**
 * Bursts: a burst opens at the first event of the earliest window of `gapMs` holding at least
 * `minDistinct` distinct values and stays open while each next event follows the previous within `gapMs`.
 */
export type BurstWindowing<E> = {
  kind: 'burst';
  gapMs: number;
  minDistinct: number;
  valueOf: (event: E) => string;
};

export type Windowing<E> = AnchoredWindowing | BurstWindowing<E>;

type Timed = { time: Date; id: string };

/** One window of one group: anchored windows end at start + length, bursts at their last event. */
export type GroupWindow<E> = { start: Date; end: Date; events: E[] };

/** A window as it is persisted between runs: its span alone. */
export type WindowSpan = { start: Date; end: Date };

/** Time order, then id (numeric ids as numbers), so equal timestamps still give one order. */
export function compareEvents(left: Timed, right: Timed): number {
  return (
    left.time.getTime() - right.time.getTime() ||
    left.id.length - right.id.length ||
    (left.id < right.id ? -1 : left.id > right.id ? 1 : 0)
  );
}

export function anchoredWindows<E extends Timed>(events: readonly E[], lengthMs: number): GroupWindow<E>[] {
  const windows: GroupWindow<E>[] = [];
  for (const event of events) {
    const current = windows.at(-1);
    if (current && event.time.getTime() < current.end.getTime()) current.events.push(event);
    else windows.push({ start: event.time, end: new Date(event.time.getTime() + lengthMs), events: [event] });
  }
  return windows;
}

export function burstWindows<E extends Timed>(events: readonly E[], windowing: BurstWindowing<E>): GroupWindow<E>[] {
  const { gapMs, minDistinct, valueOf } = windowing;
  const bursts: GroupWindow<E>[] = [];
  const times = events.map((event) => event.time.getTime());
  const counts = new Map<string, number>();
  const add = (value: string) => counts.set(value, (counts.get(value) ?? 0) + 1);
  const remove = (value: string) => {
    const left = (counts.get(value) ?? 0) - 1;
    if (left > 0) counts.set(value, left);
    else counts.delete(value);
  };
  let left = 0;
  let right = 0;
  while (left < events.length) {
    while (right < events.length && times[right]! - times[left]! <= gapMs) add(valueOf(events[right++]!));
    if (counts.size >= minDistinct) {
      let end = right - 1;
      while (end + 1 < events.length && times[end + 1]! - times[end]! <= gapMs) end++;
      bursts.push({ start: events[left]!.time, end: events[end]!.time, events: events.slice(left, end + 1) });
      left = end + 1;
      right = left;
      counts.clear();
    } else {
      remove(valueOf(events[left++]!));
    }
  }
  return bursts;
}

export function computeWindows<E extends Timed>(windowing: Windowing<E>, events: readonly E[]): GroupWindow<E>[] {
  return windowing.kind === 'anchored' ? anchoredWindows(events, windowing.lengthMs) : burstWindows(events, windowing);
}

/**
 * Where recomputing a group must start when its events from `changedFrom` on changed, so that every
 * window before it is as persisted: null means from the group's first event.
 * Anchored: the persisted window the change falls in or after (a chain anchor: windows before it hold
 * only older events). Bursts: one gap before the change (no window reaching it opens earlier), or the
 * start of a persisted burst the change falls in or continues.
 */
export function findRecomputeStart<E>(
  windowing: Windowing<E>,
  persisted: readonly WindowSpan[],
  changedFrom: Date,
): Date | null {
  const from = changedFrom.getTime();
  if (windowing.kind === 'anchored') {
    let start: Date | null = null;
    for (const window of persisted) if (window.start.getTime() <= from) start = window.start;
    return start;
  }
  let start = from - windowing.gapMs;
  for (const window of persisted) {
    if (window.start.getTime() < start && window.end.getTime() + windowing.gapMs >= from)
      start = window.start.getTime();
  }
  return new Date(start);
}

export type RecomputeEnd = { until: Date } | { until: 'end' } | 'read-further';

/**
 * Where a recomputation may stop: the first time from which recomputed and persisted windows are the
 * same, so only windows starting before it are replaced. `readTo` is how far the group's events were
 * read; `complete` says nothing of the group lies beyond it.
 * Anchored: the first recomputed window after the change that opens where a persisted one does (from
 * there both chains are the same). Bursts: the first event more than a gap after the change (and a gap
 * before `readTo`, so its look-ahead was read) that lies inside no burst, recomputed or persisted.
 */
export function findRecomputeEnd<E extends Timed>(
  windowing: Windowing<E>,
  input: {
    recomputed: readonly GroupWindow<E>[];
    persisted: readonly WindowSpan[];
    events: readonly E[];
    changedTo: Date;
    readTo: Date;
    complete: boolean;
  },
): RecomputeEnd {
  const changedTo = input.changedTo.getTime();
  if (windowing.kind === 'anchored') {
    const persistedStarts = new Set(input.persisted.map((window) => window.start.getTime()));
    const synced = input.recomputed.find(
      (window) => window.start.getTime() > changedTo && persistedStarts.has(window.start.getTime()),
    );
    if (synced) return { until: synced.start };
    return input.complete ? { until: 'end' } : 'read-further';
  }
  const inside = (windows: readonly WindowSpan[], time: number) =>
    windows.some((window) => window.start.getTime() <= time && time <= window.end.getTime());
  const lookAheadEnd = input.readTo.getTime() - windowing.gapMs;
  for (const event of input.events) {
    const time = event.time.getTime();
    if (time <= changedTo + windowing.gapMs) continue;
    if (!input.complete && time >= lookAheadEnd) break;
    if (!inside(input.recomputed, time) && !inside(input.persisted, time)) return { until: event.time };
  }
  return input.complete ? { until: 'end' } : 'read-further';
}

/** Whether a window opening at `start` lies in [from, until). */
export function startsWithin(start: Date, from: Date | null, until: Date | 'end'): boolean {
  const time = start.getTime();
  return (from === null || time >= from.getTime()) && (until === 'end' || time < until.getTime());
}
