import { describe, expect, it } from 'vitest';
import { choosePreviewRange } from '../../../lib/rules/list-rule-health';
import { previewRangeSchema } from '../../../lib/rules/schemas';

const accepts = (range: { from: string; to: string }) =>
  previewRangeSchema.safeParse({ from: `${range.from}:00.000Z`, to: `${range.to}:00.000Z` }).success;

describe('choosePreviewRange', () => {
  it('covers the whole store, to the minute after its newest event, when it spans less than the limit', () => {
    const range = choosePreviewRange(
      { from: new Date('2026-11-28T10:15:42Z'), to: new Date('2026-12-01T23:59:25Z') },
      new Date('2026-12-03T12:00:00Z'),
    );
    expect(range).toEqual({ from: '2026-11-28T10:15', to: '2026-12-02T00:00' });
    expect(accepts(range)).toBe(true);
  });

  it('opens on the newest 31 days of a store that spans a year, a range the preview accepts', () => {
    const range = choosePreviewRange(
      { from: new Date('2025-11-20T08:00:00Z'), to: new Date('2026-12-01T23:59:25Z') },
      new Date('2026-12-03T12:00:00Z'),
    );
    expect(range).toEqual({ from: '2026-11-01T00:00', to: '2026-12-02T00:00' });
    expect(accepts(range)).toBe(true);
  });

  it('offers the last day before now when nothing is stored', () => {
    const range = choosePreviewRange(null, new Date('2026-12-03T12:00:30Z'));
    expect(range).toEqual({ from: '2026-12-02T12:00', to: '2026-12-03T12:00' });
  });
});
