// The engine's evaluation step without a database: predicate, allowlist, windows and the look-back edge.
import { describe, expect, it } from 'vitest';
import { compileAllowlist } from '../../../lib/allowlist/match-allowlist';
import { evaluateRule, widenRange } from '../../../lib/detections/evaluate-rule';
import { getRuleDefinition } from '../../../lib/detections/registry';
import { atSecond, buildAuditEventSeries } from '../../../lib/detections/vector-events';

const rule = getRuleDefinition('rapid-secret-get-multiple-objects')!;
const params = { ...rule.defaultParameters };
const burst = buildAuditEventSeries('burst', 4, 60, 10, (index) => ({ name: `secret-${index}` }));
const range = { from: atSecond(0), to: atSecond(600) };

describe('evaluateRule', () => {
  it('raises the burst from the candidates and counts nothing as allowlisted without an entry', () => {
    const result = evaluateRule(rule, params, { auditEvents: burst, fileEvents: [], priorWindows: [] }, [], range);
    expect(result.candidates).toHaveLength(1);
    expect(result.candidates[0]!.auditEventIds).toEqual(burst.map((event) => event.id));
    expect(result).toMatchObject({ eventsScanned: 4, allowlisted: 0 });
  });

  it('keeps allowlisted events out of every window and counts them per entry with the newest time', () => {
    const allowlist = compileAllowlist([
      { id: 'entry-1', ruleId: null, conditions: [{ field: 'name', op: 'oneOf', value: ['secret-2', 'secret-3'] }] },
    ]);
    const result = evaluateRule(
      rule,
      params,
      { auditEvents: burst, fileEvents: [], priorWindows: [] },
      allowlist,
      range,
    );
    expect(result.candidates).toHaveLength(0);
    expect(result.allowlisted).toBe(2);
    expect(result.allowlistHits.get('entry-1')).toEqual({ count: 2, last: burst[3]!.time });
  });

  it('leaves a window that ended before the range to the run that covered it', () => {
    const later = { from: atSecond(3600), to: atSecond(4200) };
    const result = evaluateRule(rule, params, { auditEvents: burst, fileEvents: [], priorWindows: [] }, [], later);
    expect(result.candidates).toHaveLength(0);
  });

  it('widens the range by the rule’s look-back', () => {
    expect(widenRange(rule, params, range).from).toEqual(
      new Date(range.from.getTime() - params.windowMinutes! * 60_000),
    );
  });
});
