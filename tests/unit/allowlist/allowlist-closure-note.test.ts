import { describe, expect, it } from 'vitest';
import { formatAllowlistClosureNote, readAllowlistClosureNote } from '../../../lib/allowlist/allowlist-closure-note';

const ID = '293298e5-1c2b-4c7e-9f6a-0d1e2f3a4b5c';

describe('the note an allowlist entry leaves on the alerts it closes', () => {
  it('reads back the entry and the reason it was written with', () => {
    const note = formatAllowlistClosureNote(ID, 'CI deploy job: reads its own secrets');
    expect(note).toBe(`Allowlisted by entry ${ID}: CI deploy job: reads its own secrets`);
    expect(readAllowlistClosureNote(note)).toEqual({ entryId: ID, reason: 'CI deploy job: reads its own secrets' });
  });

  it('is null for an analyst note that only looks like one', () => {
    expect(readAllowlistClosureNote('checked with the team')).toBeNull();
    expect(readAllowlistClosureNote('Allowlisted by entry see ticket 42: ok')).toBeNull();
    expect(readAllowlistClosureNote(`Allowlisted by entry ${ID.toUpperCase()}: x`)).toBeNull();
    expect(readAllowlistClosureNote(`Allowlisted by entry ${ID}`)).toBeNull();
  });
});
