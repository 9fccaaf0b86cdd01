// Which part of a time range the hourly rollups answer and which the raw events must: pure, so the
// entity pages, the overview and the charts all cut a range the same way.

export type Interval = { from: Date; to: Date };

export type HourSplit = {
  /** Runs of whole UTC hours: read from the rollups (by their `hour`). */
  hours: Interval[];
  /** The rest of the range (partial hours at its edges, hours a chart bucket cuts): read from raw events. */
  raw: Interval[];
};

const HOUR = 3_600_000;
const MINUTE = 60_000;

/**
 * Cuts [from, to) into whole UTC hours and the rest. With `bucket`, an hour that a bucket boundary
 * (origin + k × minutes) falls strictly inside is left to the raw events, so each rolled-up hour
 * counts in exactly one chart bucket.
 */
export function splitByWholeHours(from: Date, to: Date, bucket?: { origin: Date; minutes: number }): HourSplit {
  const start = from.getTime();
  const end = to.getTime();
  const hours: Interval[] = [];
  const width = bucket ? bucket.minutes * MINUTE : 0;
  const origin = bucket?.origin.getTime() ?? 0;
  for (let hour = Math.ceil(start / HOUR) * HOUR; hour + HOUR <= end; hour += HOUR) {
    const nextBoundary = bucket ? origin + (Math.floor((hour - origin) / width) + 1) * width : Infinity;
    if (nextBoundary < hour + HOUR) continue;
    const last = hours.at(-1);
    if (last && last.to.getTime() === hour) last.to = new Date(hour + HOUR);
    else hours.push({ from: new Date(hour), to: new Date(hour + HOUR) });
  }
  const raw: Interval[] = [];
  let cursor = start;
  for (const run of hours) {
    if (run.from.getTime() > cursor) raw.push({ from: new Date(cursor), to: run.from });
    cursor = run.to.getTime();
  }
  if (cursor < end) raw.push({ from: new Date(cursor), to: new Date(end) });
  return { hours, raw };
}

/** The intervals as two parallel arrays, for `unnest($n::timestamptz[], $m::timestamptz[])`. */
export function intervalParams(intervals: Interval[]): [Date[], Date[]] {
  return [intervals.map((interval) => interval.from), intervals.map((interval) => interval.to)];
}

/**
 * splitByWholeHours for a range either end of which may be open (the explorer without from or to):
 * the rolled-up hours start at or after `from`'s next hour and end by `to`'s; null ends are open.
 */
export function splitOpenRange(
  from: Date | null,
  to: Date | null,
): { hours: { from: Date | null; to: Date | null } | null; raw: Interval[] } {
  const hoursFrom = from && new Date(Math.ceil(from.getTime() / HOUR) * HOUR);
  const hoursTo = to && new Date(Math.floor(to.getTime() / HOUR) * HOUR);
  if (from && to && hoursFrom! >= hoursTo!) return { hours: null, raw: from < to ? [{ from, to }] : [] };
  const raw: Interval[] = [];
  if (from && hoursFrom! > from) raw.push({ from, to: hoursFrom! });
  if (to && hoursTo! < to) raw.push({ from: hoursTo!, to });
  return { hours: { from: hoursFrom, to: hoursTo }, raw };
}
