import { describe, expect, it } from 'vitest';
import { splitByWholeHours, splitOpenRange } from '../../../lib/rollups/split-by-hours';

const at = (time: string) => new Date(time);
const text = (split: ReturnType<typeof splitByWholeHours>) => ({
  hours: split.hours.map((run) => `${run.from.toISOString()} ${run.to.toISOString()}`),
  raw: split.raw.map((run) => `${run.from.toISOString()} ${run.to.toISOString()}`),
});

describe('splitByWholeHours', () => {
  it('reads whole hours from the rollups and the partial edges raw', () => {
    expect(text(splitByWholeHours(at('2045-03-10T08:20:00Z'), at('2045-03-10T11:05:00Z')))).toEqual({
      hours: ['2045-03-10T09:00:00.000Z 2045-03-10T11:00:00.000Z'],
      raw: ['2045-03-10T08:20:00.000Z 2045-03-10T09:00:00.000Z', '2045-03-10T11:00:00.000Z 2045-03-10T11:05:00.000Z'],
    });
  });

  it('needs no raw rows for a range on the hour', () => {
    expect(text(splitByWholeHours(at('2045-03-10T08:00:00Z'), at('2045-03-11T08:00:00Z')))).toEqual({
      hours: ['2045-03-10T08:00:00.000Z 2045-03-11T08:00:00.000Z'],
      raw: [],
    });
  });

  it('reads a range inside one hour (or across one boundary, no whole hour) raw', () => {
    expect(text(splitByWholeHours(at('2045-03-10T08:10:00Z'), at('2045-03-10T08:50:00Z')))).toEqual({
      hours: [],
      raw: ['2045-03-10T08:10:00.000Z 2045-03-10T08:50:00.000Z'],
    });
    expect(text(splitByWholeHours(at('2045-03-10T08:10:00Z'), at('2045-03-10T09:50:00Z')))).toEqual({
      hours: [],
      raw: ['2045-03-10T08:10:00.000Z 2045-03-10T09:50:00.000Z'],
    });
  });

  it('keeps millisecond edges', () => {
    expect(text(splitByWholeHours(at('2045-03-10T07:59:59.999Z'), at('2045-03-10T09:00:00.001Z')))).toEqual({
      hours: ['2045-03-10T08:00:00.000Z 2045-03-10T09:00:00.000Z'],
      raw: ['2045-03-10T07:59:59.999Z 2045-03-10T08:00:00.000Z', '2045-03-10T09:00:00.000Z 2045-03-10T09:00:00.001Z'],
    });
  });

  it('with chart buckets, leaves raw the hours a bucket boundary cuts', () => {
    // 6-hour buckets from 08:20: boundaries at 14:20 and 20:20 cut the hours 14:00 and 20:00.
    const from = at('2045-03-10T08:20:00Z');
    expect(text(splitByWholeHours(from, at('2045-03-10T21:00:00Z'), { origin: from, minutes: 360 }))).toEqual({
      hours: ['2045-03-10T09:00:00.000Z 2045-03-10T14:00:00.000Z', '2045-03-10T15:00:00.000Z 2045-03-10T20:00:00.000Z'],
      raw: [
        '2045-03-10T08:20:00.000Z 2045-03-10T09:00:00.000Z',
        '2045-03-10T14:00:00.000Z 2045-03-10T15:00:00.000Z',
        '2045-03-10T20:00:00.000Z 2045-03-10T21:00:00.000Z',
      ],
    });
  });

  it('with hourly buckets on the hour, or daily ones, every whole hour is rolled up', () => {
    const from = at('2045-03-10T00:00:00Z');
    for (const minutes of [60, 1440])
      expect(text(splitByWholeHours(from, at('2045-03-12T00:00:00Z'), { origin: from, minutes }))).toEqual({
        hours: ['2045-03-10T00:00:00.000Z 2045-03-12T00:00:00.000Z'],
        raw: [],
      });
  });

  it('with buckets shorter than an hour, or hourly ones off the hour, reads everything raw', () => {
    const from = at('2045-03-10T08:00:00Z');
    const to = at('2045-03-10T12:00:00Z');
    expect(text(splitByWholeHours(from, to, { origin: from, minutes: 15 })).hours).toEqual([]);
    const offHour = at('2045-03-10T08:30:00Z');
    expect(text(splitByWholeHours(offHour, to, { origin: offHour, minutes: 60 }))).toEqual({
      hours: [],
      raw: ['2045-03-10T08:30:00.000Z 2045-03-10T12:00:00.000Z'],
    });
  });
});

describe('splitOpenRange', () => {
  const iso = (time: Date | null) => time?.toISOString() ?? null;
  const textOf = (split: ReturnType<typeof splitOpenRange>) => ({
    hours: split.hours && `${iso(split.hours.from)} ${iso(split.hours.to)}`,
    raw: split.raw.map((run) => `${run.from.toISOString()} ${run.to.toISOString()}`),
  });

  it('with both ends open, rolls up every hour and reads nothing raw', () => {
    expect(textOf(splitOpenRange(null, null))).toEqual({ hours: 'null null', raw: [] });
  });

  it('reads raw only the partial hour at a given end', () => {
    expect(textOf(splitOpenRange(at('2045-03-10T08:20:00Z'), null))).toEqual({
      hours: '2045-03-10T09:00:00.000Z null',
      raw: ['2045-03-10T08:20:00.000Z 2045-03-10T09:00:00.000Z'],
    });
    expect(textOf(splitOpenRange(null, at('2045-03-10T08:20:00.001Z')))).toEqual({
      hours: 'null 2045-03-10T08:00:00.000Z',
      raw: ['2045-03-10T08:00:00.000Z 2045-03-10T08:20:00.001Z'],
    });
  });

  it('reads nothing raw when both ends are on the hour', () => {
    expect(textOf(splitOpenRange(at('2045-03-10T08:00:00Z'), at('2045-03-11T08:00:00Z')))).toEqual({
      hours: '2045-03-10T08:00:00.000Z 2045-03-11T08:00:00.000Z',
      raw: [],
    });
  });

  it('reads a range inside one hour, or one short of a whole hour, all raw', () => {
    for (const [from, to] of [
      ['2045-03-10T08:10:00Z', '2045-03-10T08:50:00Z'],
      ['2045-03-10T08:10:00Z', '2045-03-10T09:50:00Z'],
    ] as const)
      expect(textOf(splitOpenRange(at(from), at(to)))).toEqual({
        hours: null,
        raw: [`${at(from).toISOString()} ${at(to).toISOString()}`],
      });
  });
});
