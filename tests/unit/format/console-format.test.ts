import { describe, expect, it } from 'vitest';
import { niceTicks } from '../../../components/charts/nice-ticks';
import { sortValues } from '../../../components/ui/value-list';
import { formatUtc, formatUtcInput } from '../../../lib/format-time';
import { readUtcTime } from '../../../lib/search-params';

describe('the one time format', () => {
  it('writes every time as UTC, to the second', () => {
    expect(formatUtc('2026-12-01T23:40:49.185Z')).toBe('2026-12-01 23:40:49 UTC');
    expect(formatUtc(new Date('2026-12-01T18:40:49-05:00'))).toBe('2026-12-01 23:40:49 UTC');
    expect(formatUtcInput('2026-01-02T03:04:05Z')).toBe('2026-01-02 03:04:05');
  });

  it('reads what a UTC input holds as UTC, in its own format or the ISO one', () => {
    expect(readUtcTime('2026-12-01 23:40:49')).toBe('2026-12-01T23:40:49Z');
    expect(readUtcTime('2026-12-01 23:40')).toBe('2026-12-01T23:40:00Z');
    expect(readUtcTime(' 2026-12-01 23:40:49 UTC ')).toBe('2026-12-01T23:40:49Z');
    expect(readUtcTime('2026-12-01T23:40:49.5')).toBe('2026-12-01T23:40:49.5Z');
    expect(readUtcTime(formatUtcInput('2026-12-01T23:40:49Z'))).toBe('2026-12-01T23:40:49Z');
    expect(readUtcTime('2026-12-01T23:40:49+02:00')).toBe('2026-12-01T23:40:49+02:00');
    expect(readUtcTime('yesterday')).toBe('yesterday');
  });
});

describe('chart ticks', () => {
  it.each([
    [0, [0, 1]],
    [1, [0, 1]],
    [3, [0, 1, 2, 3]],
    [7, [0, 2, 4, 6, 8]],
    [10, [0, 5, 10]],
    [178, [0, 50, 100, 150, 200]],
    [1054, [0, 500, 1000, 1500]],
  ])('counts up to %d in even integer steps', (max, ticks) => {
    expect(niceTicks(max)).toEqual(ticks);
  });
});

describe('value lists', () => {
  it('sort the same way whatever order the values came in', () => {
    expect(sortValues(['b-ns', 'A-ns', 'a-ns', 'kube-system'])).toEqual(['A-ns', 'a-ns', 'b-ns', 'kube-system']);
    expect(sortValues(['z', 'y', 'x'])).toEqual(sortValues(['x', 'z', 'y']));
  });
});
