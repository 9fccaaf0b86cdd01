// One run of a rule without a database: predicate, allowlist, windows; and the bounds a
// recomputation of part of a group's history must keep to.
import { describe, expect, it } from 'vitest';
import { compileAllowlist } from '../../../lib/allowlist/match-allowlist';
import { evaluateRule, listChangedGroups } from '../../../lib/detections/evaluate-rule';
import { getRuleDefinition } from '../../../lib/detections/registry';
import { atSecond, buildAuditEventSeries } from '../../../lib/detections/vector-events';
import { findRecomputeEnd, findRecomputeStart, type BurstWindowing } from '../../../lib/detections/windowing';

const rule = getRuleDefinition('rapid-secret-get-multiple-objects')!;
const params = { ...rule.defaultParameters };
const burst = buildAuditEventSeries('burst', 4, 60, 10, (index) => ({ name: `secret-${index}` }));
const input = { auditEvents: burst, fileEvents: [] };

describe('evaluateRule', () => {
  it('raises the burst from the candidates and counts nothing as allowlisted without an entry', () => {
    const result = evaluateRule(rule, params, input, []);
    expect(result.candidates).toHaveLength(1);
    expect(result.candidates[0]!.auditEventIds).toEqual(burst.map((event) => event.id));
    expect(result).toMatchObject({ eventsScanned: 4, allowlisted: 0 });
  });

  it('keeps allowlisted events out of every window and counts them per entry with the newest time', () => {
    const allowlist = compileAllowlist([
      { id: 'entry-1', ruleId: null, conditions: [{ field: 'name', op: 'oneOf', value: ['secret-2', 'secret-3'] }] },
    ]);
    const result = evaluateRule(rule, params, input, allowlist);
    expect(result.candidates).toHaveLength(0);
    expect(result.allowlisted).toBe(2);
    expect(result.allowlistHits.get('entry-1')).toEqual({ count: 2, last: burst[3]!.time });
  });

  it('lists the changed groups with the span of their changes, in key order', () => {
    if (rule.kind !== 'windowed') throw new Error('expected a windowed rule');
    const groups = listChangedGroups(rule, params, [...burst].reverse());
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ from: burst[0]!.time, to: burst[3]!.time });
    expect(JSON.parse(groups[0]!.key)).toEqual({
      username: 'alice@example.com',
      sourceIp: '10.20.7.102',
      userAgent: burst[0]!.userAgent,
    });
  });
});

const anchored = { kind: 'anchored', lengthMs: 1_800_000 } as const;
const bursts: BurstWindowing<{ id: string; time: Date }> = {
  kind: 'burst',
  gapMs: 360_000,
  minDistinct: 3,
  valueOf: (event) => event.id,
};
const span = (from: number, to: number) => ({ start: atSecond(from), end: atSecond(to) });

describe('where a recomputation starts', () => {
  it('anchored: at the kept window the change falls in or after; from the first event when none opens by it', () => {
    const kept = [span(0, 1800), span(2000, 3800)];
    expect(findRecomputeStart(anchored, kept, atSecond(2500))).toEqual(atSecond(2000));
    expect(findRecomputeStart(anchored, kept, atSecond(1900))).toEqual(atSecond(0));
    expect(findRecomputeStart(anchored, kept, atSecond(-5))).toBeNull();
  });

  it('bursts: one gap before the change, or the start of a burst the change falls in or continues', () => {
    expect(findRecomputeStart(bursts, [], atSecond(1000))).toEqual(atSecond(640));
    expect(findRecomputeStart(bursts, [span(100, 500)], atSecond(800))).toEqual(atSecond(100));
    expect(findRecomputeStart(bursts, [span(100, 200)], atSecond(800))).toEqual(atSecond(440));
  });
});

describe('where a recomputation may stop', () => {
  it('anchored: at the first recomputed window after the change that opens where a kept one does', () => {
    const end = findRecomputeEnd(anchored, {
      recomputed: [
        { ...span(0, 1800), events: [] },
        { ...span(2000, 3800), events: [] },
      ],
      persisted: [span(500, 2300), span(2000, 3800)],
      events: [],
      changedTo: atSecond(10),
      readTo: atSecond(9000),
      complete: false,
    });
    expect(end).toEqual({ until: atSecond(2000) });
  });

  it('anchored: reads further while the chains differ, and ends with the data', () => {
    const input = {
      recomputed: [{ ...span(0, 1800), events: [] }],
      persisted: [span(500, 2300)],
      events: [],
      changedTo: atSecond(10),
      readTo: atSecond(3000),
    };
    expect(findRecomputeEnd(anchored, { ...input, complete: false })).toBe('read-further');
    expect(findRecomputeEnd(anchored, { ...input, complete: true })).toEqual({ until: 'end' });
  });

  it('bursts: at the first event more than a gap after the change that lies in no burst, if its look-ahead was read', () => {
    const events = [
      { id: 'a', time: atSecond(0) },
      { id: 'b', time: atSecond(400) },
      { id: 'c', time: atSecond(2000) },
    ];
    const input = { recomputed: [], persisted: [span(300, 450)], events, changedTo: atSecond(0) };
    expect(findRecomputeEnd(bursts, { ...input, readTo: atSecond(3000), complete: false })).toEqual({
      until: atSecond(2000),
    });
    expect(findRecomputeEnd(bursts, { ...input, readTo: atSecond(2200), complete: false })).toBe('read-further');
  });
});
