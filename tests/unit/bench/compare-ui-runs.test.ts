import { describe, expect, it } from 'vitest';
import { compareUiRuns } from '../../../scripts/commands/bench-ui';

const route = (name: string, p95Ms: number, firstByteP95?: number) => ({
  name,
  path: '/x',
  kind: firstByteP95 === undefined ? 'page' : 'export',
  p50Ms: p95Ms / 2,
  p95Ms,
  p95VsBaseline: 1,
  meetsGoal: p95Ms < 300,
  bytes: 1,
  ...(firstByteP95 === undefined ? {} : { firstByte: { p50Ms: 1, p95Ms: firstByteP95 } }),
});

const run = (events: number, routes: ReturnType<typeof route>[]) => ({
  events,
  text: `run at ${events}`,
  json: { routes, baseline: { health: { p50Ms: 5, p95Ms: 10 } } },
});

describe('compareUiRuns', () => {
  it('passes routes whose p95 stays under the goal and within 1.5x of the smaller size', () => {
    const result = compareUiRuns([
      run(1_000_000, [route('/alerts', 100), route('export', 900, 40)]),
      run(10_000_000, [route('/alerts', 150), route('export', 5_000, 60)]),
    ] as never);
    expect(result.text).toContain('p95 @ 1M');
    expect(result.text).toContain('p95 @ 10M');
    expect(result.text).toMatch(/\/alerts\s+100\.0\s+150\.0\s+1\.50x/);
    // Exports are judged by their first byte, not the whole file.
    expect(result.text).toMatch(/export\s+40\.0\s+60\.0\s+1\.50x/);
    expect(result.json.failing).toEqual([]);
  });

  it('names a route that grows more than 1.5x, and one over 300 ms at the larger size', () => {
    const result = compareUiRuns([
      run(1_000_000, [route('/entities/users/U', 100), route('/', 250)]),
      run(10_000_000, [route('/entities/users/U', 151), route('/', 310)]),
    ] as never);
    expect(result.json.failing).toEqual(['/entities/users/U', '/']);
    expect(result.text).toContain('✗ grows > 1.5×');
    expect(result.text).toContain('✗ ≥ 300 ms');
  });
});
