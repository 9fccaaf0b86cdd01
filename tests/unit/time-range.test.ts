import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  alignBucketOrigin,
  chooseBucketMinutes,
  chooseChartBuckets,
  fillBuckets,
  formatTimeRangeParams,
  parseTimeRangeParams,
  resolveTimeRange,
} from '../../lib/time-range';

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
const iso = (range: { from: Date; to: Date; explicit: boolean }) => ({
  from: range.from.toISOString(),
  to: range.to.toISOString(),
  explicit: range.explicit,
});

describe('resolveTimeRange', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('without a range, starts no earlier than the oldest data (floored to the minute), so a short burst fills the chart', () => {
    const latest = new Date('2045-03-10T12:34:56.789Z');
    expect(iso(resolveTimeRange({}, latest, 7, new Date('2045-03-10T11:00:30Z')))).toEqual({
      from: '2045-03-10T11:00:00.000Z',
      to: '2045-03-10T12:35:00.000Z',
      explicit: false,
    });
    // Older data than the default span: the default span wins.
    expect(iso(resolveTimeRange({}, latest, 7, new Date('2045-01-01T00:00:00Z'))).from).toBe(
      '2045-03-03T12:35:00.000Z',
    );
    // An explicit end: the span counts back from it, whatever the data.
    expect(
      iso(resolveTimeRange({ to: '2045-03-10T12:00:00Z' }, latest, 1, new Date('2045-03-10T11:00:00Z'))).from,
    ).toBe('2045-03-09T12:00:00.000Z');
  });

  it('without a range, ends at the first whole minute after the latest event and spans the default days', () => {
    expect(iso(resolveTimeRange({}, new Date('2045-03-10T12:34:56.789Z'), 7))).toEqual({
      from: '2045-03-03T12:35:00.000Z',
      to: '2045-03-10T12:35:00.000Z',
      explicit: false,
    });
    // An event on a whole minute is still inside the (exclusive) end.
    expect(iso(resolveTimeRange({}, new Date('2045-03-10T12:35:00.000Z'), 1))).toEqual({
      from: '2045-03-09T12:36:00.000Z',
      to: '2045-03-10T12:36:00.000Z',
      explicit: false,
    });
  });

  it('without a range or any event, ends just after now', () => {
    vi.useFakeTimers({ now: new Date('2045-06-01T08:00:30.000Z') });
    expect(iso(resolveTimeRange({}, null, 7))).toEqual({
      from: '2045-05-25T08:01:00.000Z',
      to: '2045-06-01T08:01:00.000Z',
      explicit: false,
    });
  });

  it('keeps both ends of an explicit range', () => {
    const range = resolveTimeRange(
      { from: '2045-01-01T00:00:00Z', to: '2045-01-03T00:00:00+01:00' },
      new Date('2045-03-10T00:00:00Z'),
      7,
    );
    expect(iso(range)).toEqual({ from: '2045-01-01T00:00:00.000Z', to: '2045-01-02T23:00:00.000Z', explicit: true });
  });

  it('fills a missing end: `to` alone spans the default days back; `from` alone ends after the latest event, or now', () => {
    expect(iso(resolveTimeRange({ to: '2045-03-09T00:00:00Z' }, new Date('2045-03-10T00:00:00Z'), 7))).toEqual({
      from: '2045-03-02T00:00:00.000Z',
      to: '2045-03-09T00:00:00.000Z',
      explicit: true,
    });
    expect(iso(resolveTimeRange({ from: '2045-03-08T00:00:00Z' }, new Date('2045-03-10T09:05:00Z'), 7))).toEqual({
      from: '2045-03-08T00:00:00.000Z',
      to: '2045-03-10T09:06:00.000Z',
      explicit: true,
    });
    vi.useFakeTimers({ now: new Date('2045-06-01T08:00:30.500Z') });
    expect(iso(resolveTimeRange({ from: '2045-05-01T00:00:00Z' }, null, 7))).toEqual({
      from: '2045-05-01T00:00:00.000Z',
      to: '2045-06-01T08:00:30.500Z',
      explicit: true,
    });
  });

  it('a `from` after the latest event gets a day-long range instead of an empty or inverted one', () => {
    const range = resolveTimeRange({ from: '2045-04-01T00:00:00Z' }, new Date('2045-03-10T00:00:00Z'), 7);
    expect(iso(range)).toEqual({ from: '2045-04-01T00:00:00.000Z', to: '2045-04-02T00:00:00.000Z', explicit: true });
  });
});

describe('chooseBucketMinutes', () => {
  const span = (minutes: number) => chooseBucketMinutes(new Date(0), new Date(minutes * MINUTE));

  it('picks the smallest bucket that keeps the chart at most 90 bars wide', () => {
    expect(span(30)).toBe(1);
    expect(span(90)).toBe(1);
    expect(span(91)).toBe(5);
    expect(span(450)).toBe(5);
    expect(span(451)).toBe(15);
    expect(span(1440)).toBe(60);
    expect(span(7 * 1440)).toBe(360);
    expect(span(30 * 1440)).toBe(1440);
    expect(span(90 * 1440)).toBe(1440);
    expect(span(91 * 1440)).toBe(10080);
  });

  it('falls back to a week for spans too long for any bucket, and honours another width', () => {
    expect(span(3650 * 1440)).toBe(10080);
    expect(chooseBucketMinutes(new Date(0), new Date(1440 * MINUTE), 24)).toBe(60);
    expect(chooseBucketMinutes(new Date(0), new Date(1440 * MINUTE), 23)).toBe(360);
  });
});

describe('fillBuckets', () => {
  const from = new Date('2045-03-10T00:00:00Z');
  const empty = () => ({ count: 0 });

  it('lists every bucket start from `from` up to (not including) `to`, with the counted ones filled in', () => {
    const counted = new Map([[from.getTime() + 60 * MINUTE, { count: 4 }]]);
    expect(fillBuckets(from, new Date('2045-03-10T03:00:00Z'), 60, counted, empty)).toEqual([
      { start: '2045-03-10T00:00:00.000Z', count: 0 },
      { start: '2045-03-10T01:00:00.000Z', count: 4 },
      { start: '2045-03-10T02:00:00.000Z', count: 0 },
    ]);
  });

  it('keeps a last, partial bucket, gives each empty bucket its own value and ignores counts off the grid', () => {
    const counted = new Map([[from.getTime() + 30 * MINUTE, { count: 9 }]]);
    const buckets = fillBuckets(from, new Date('2045-03-10T02:30:00Z'), 60, counted, empty);
    expect(buckets.map((bucket) => bucket.start)).toEqual([
      '2045-03-10T00:00:00.000Z',
      '2045-03-10T01:00:00.000Z',
      '2045-03-10T02:00:00.000Z',
    ]);
    expect(buckets.every((bucket) => bucket.count === 0)).toBe(true);
    buckets[0]!.count = 5;
    expect(buckets[1]!.count).toBe(0);
  });

  it('a 7-day range of 6-hour buckets has 28', () => {
    const to = new Date(from.getTime() + 7 * DAY);
    const buckets = fillBuckets(from, to, chooseBucketMinutes(from, to), new Map(), empty);
    expect(buckets).toHaveLength(28);
    expect(buckets.at(-1)!.start).toBe('2045-03-16T18:00:00.000Z');
  });
});

describe('parseTimeRangeParams', () => {
  it('reads ISO times, and datetime-local values as UTC', () => {
    expect(parseTimeRangeParams(new URLSearchParams('from=2045-03-10T10:00&to=2045-03-10T11:30:15')).data).toEqual({
      from: '2045-03-10T10:00:00Z',
      to: '2045-03-10T11:30:15Z',
    });
    expect(parseTimeRangeParams({ from: '2045-03-10T10:00:00+02:00', to: '' }).data).toEqual({
      from: '2045-03-10T10:00:00+02:00',
      to: undefined,
    });
    expect(parseTimeRangeParams({}).data).toEqual({ from: undefined, to: undefined });
  });

  it('refuses a `from` not before `to`, and a value that is no time', () => {
    const inverted = parseTimeRangeParams({ from: '2045-03-10T10:00:00Z', to: '2045-03-10T10:00:00Z' });
    expect(inverted.success).toBe(false);
    expect(inverted.error!.issues[0]).toMatchObject({
      path: ['from'],
      message: 'must be before the end of the range (to)',
    });
    const notATime = parseTimeRangeParams({ to: 'tomorrow' });
    expect(notATime.success).toBe(false);
    expect(notATime.error!.issues[0]!.path).toEqual(['to']);
  });

  it('writes a range back as ISO times', () => {
    const params = formatTimeRangeParams({
      from: new Date('2045-03-10T10:00:00Z'),
      to: new Date('2045-03-11T10:00:00Z'),
    });
    expect(params.toString()).toBe('from=2045-03-10T10%3A00%3A00.000Z&to=2045-03-11T10%3A00%3A00.000Z');
    expect(parseTimeRangeParams(params).data).toEqual({
      from: '2045-03-10T10:00:00.000Z',
      to: '2045-03-11T10:00:00.000Z',
    });
  });
});

describe('alignBucketOrigin', () => {
  const from = new Date('2026-11-22T15:27:41.123Z');
  it('starts buckets of an hour or six on the UTC hour, so each holds whole hours', () => {
    expect(alignBucketOrigin(from, 60).toISOString()).toBe('2026-11-22T15:00:00.000Z');
    expect(alignBucketOrigin(from, 360).toISOString()).toBe('2026-11-22T15:00:00.000Z');
  });
  it('starts day and week buckets on UTC midnight', () => {
    expect(alignBucketOrigin(from, 1440).toISOString()).toBe('2026-11-22T00:00:00.000Z');
    expect(alignBucketOrigin(from, 10080).toISOString()).toBe('2026-11-22T00:00:00.000Z');
  });
  it('leaves buckets under an hour at the range start', () => {
    expect(alignBucketOrigin(from, 15)).toBe(from);
    expect(alignBucketOrigin(from, 1)).toBe(from);
  });
});

describe('chooseChartBuckets', () => {
  it('picks the width for the span and starts the first bucket where alignBucketOrigin puts it', () => {
    const from = new Date('2026-11-22T15:27:41.123Z');
    const fortnight = chooseChartBuckets(from, new Date(from.getTime() + 14 * DAY));
    expect(fortnight).toEqual({ bucketMinutes: 360, bucketOrigin: new Date('2026-11-22T15:00:00.000Z') });
    const hour = chooseChartBuckets(from, new Date(from.getTime() + 60 * MINUTE));
    expect(hour).toEqual({ bucketMinutes: 1, bucketOrigin: from });
  });
});
