// The time range of an investigation page (entity pages, overview, events explorer): read
// from the URL, defaulted from the data, and cut into chart buckets.
import { z } from 'zod';
import { filterTime, readOne, readUtcTime, REVERSED_RANGE_MESSAGE, type SearchParams } from './search-params';

const isoTime = filterTime();

export const timeRangeSchema = z
  .object({ from: isoTime.optional(), to: isoTime.optional() })
  .refine((range) => !range.from || !range.to || new Date(range.from) < new Date(range.to), {
    message: REVERSED_RANGE_MESSAGE,
    path: ['from'],
  });
export type TimeRangeInput = z.infer<typeof timeRangeSchema>;

export type TimeRange = {
  from: Date;
  to: Date;
  /** false: the page chose the range (the latest days of data), the URL did not. */
  explicit: boolean;
};

/** `?from=…&to=…` (ISO, or datetime-local read as UTC). */
export function parseTimeRangeParams(params: SearchParams) {
  return timeRangeSchema.safeParse({
    from: readUtcTime(readOne(params, 'from')),
    to: readUtcTime(readOne(params, 'to')),
  });
}

/** The range form's labels, for messages in the analyst's words. */
export const TIME_RANGE_LABELS = { from: 'From (UTC)', to: 'To (UTC)' };

/** The range as typed, unchecked: what a refused range shows back in its form. */
export function readTypedTimeRange(params: SearchParams): { from: string; to: string; explicit: true } {
  return {
    from: readUtcTime(readOne(params, 'from')) ?? '',
    to: readUtcTime(readOne(params, 'to')) ?? '',
    explicit: true,
  };
}

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;

/**
 * Fills what the URL left out: the range ends just after `latest` (the newest data the page is about,
 * so an old export still shows something) or now, and spans `defaultDays` back, but not past `earliest`.
 */
export function resolveTimeRange(
  input: TimeRangeInput,
  latest: Date | null,
  defaultDays: number,
  /** The oldest data: a default range starts no earlier, so a short burst fills the chart. */
  earliest: Date | null = null,
): TimeRange {
  const to = input.to
    ? new Date(input.to)
    : input.from && !latest
      ? new Date()
      : new Date(Math.ceil(((latest ?? new Date()).getTime() + 1) / MINUTE) * MINUTE);
  const from = input.from
    ? new Date(input.from)
    : new Date(
        Math.max(
          to.getTime() - defaultDays * DAY,
          earliest && !input.to ? Math.floor(earliest.getTime() / MINUTE) * MINUTE : -Infinity,
        ),
      );
  if (from >= to) return { from, to: new Date(from.getTime() + DAY), explicit: true };
  return { from, to, explicit: Boolean(input.from || input.to) };
}

const BUCKET_MINUTES = [1, 5, 15, 60, 360, 1440, 10080] as const;

/** The smallest bucket that keeps a chart at most `maxBuckets` bars wide. */
export function chooseBucketMinutes(from: Date, to: Date, maxBuckets = 90): number {
  const spanMinutes = (to.getTime() - from.getTime()) / MINUTE;
  return BUCKET_MINUTES.find((minutes) => spanMinutes / minutes <= maxBuckets) ?? BUCKET_MINUTES.at(-1)!;
}

/**
 * Where a chart's buckets start: an hour's or more are on UTC hours (a day's and a week's on UTC midnight), so
 * each bucket holds whole hours the rollups answer; shorter buckets start at `from`.
 */
export function alignBucketOrigin(from: Date, bucketMinutes: number): Date {
  const unit = bucketMinutes >= 1440 ? DAY : bucketMinutes >= 60 ? 60 * MINUTE : 0;
  return unit ? new Date(Math.floor(from.getTime() / unit) * unit) : from;
}

/** A chart's buckets over a range: their width and the aligned start of the first. */
export function chooseChartBuckets(from: Date, to: Date): { bucketMinutes: number; bucketOrigin: Date } {
  const bucketMinutes = chooseBucketMinutes(from, to);
  return { bucketMinutes, bucketOrigin: alignBucketOrigin(from, bucketMinutes) };
}

/**
 * Every bucket start from `from` to `to`, each with the row SQL counted for it (`date_bin` with
 * `from` as origin gives the same starts) or `empty`: charts need the quiet buckets too.
 */
export function fillBuckets<T>(
  from: Date,
  to: Date,
  bucketMinutes: number,
  counted: Map<number, T>,
  empty: () => T,
): ({ start: string } & T)[] {
  const buckets: ({ start: string } & T)[] = [];
  for (let time = from.getTime(); time < to.getTime(); time += bucketMinutes * MINUTE)
    buckets.push({ start: new Date(time).toISOString(), ...(counted.get(time) ?? empty()) });
  return buckets;
}

/** The URL form of a range, for links that keep it. */
export function formatTimeRangeParams(range: Pick<TimeRange, 'from' | 'to'>): URLSearchParams {
  return new URLSearchParams({ from: range.from.toISOString(), to: range.to.toISOString() });
}
