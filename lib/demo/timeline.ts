// The time-scheduled rows (attacks, secret-touching background): few enough to hold in memory and
// sort once, then merged with the lazily generated filler stream.

import { buildRequestEvents, type RequestSpec } from './audit-events';
import type { Random } from './random';
import { formatMicros } from './time';
import type { K8sAuditEvent } from './types';

export type TimedEvent = { time: number; event: K8sAuditEvent };

export type Timeline = {
  add(spec: RequestSpec, time: number): K8sAuditEvent[];
  sorted(): TimedEvent[];
};

export function createTimeline(rng: Random, start: number, end: number): Timeline {
  const rows: { time: number; seq: number; event: K8sAuditEvent }[] = [];
  return {
    add(spec, time) {
      if (time < start || time >= end) throw new Error(`planned event at ${formatMicros(time)} is outside the span`);
      const events = buildRequestEvents(spec, time, rng);
      for (const event of events) rows.push({ time, seq: rows.length, event });
      return events;
    },
    sorted: () =>
      rows
        .sort((left, right) => left.time - right.time || left.seq - right.seq)
        .map(({ time, event }) => ({ time, event })),
  };
}

/** Merges the two time-ordered streams; on equal times filler goes first, so a request's rows stay adjacent. */
export function* mergeByTime(
  scheduled: TimedEvent[],
  createFiller: (clock: { time: number }) => Generator<K8sAuditEvent>,
): Generator<K8sAuditEvent> {
  const clock = { time: 0 };
  const filler = createFiller(clock);
  let next = filler.next();
  for (const row of scheduled) {
    while (!next.done && clock.time <= row.time) {
      yield next.value;
      next = filler.next();
    }
    yield row.event;
  }
  while (!next.done) {
    yield next.value;
    next = filler.next();
  }
}
