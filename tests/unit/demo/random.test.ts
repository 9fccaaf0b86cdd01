import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../lib/demo/random';

describe('createRandom', () => {
  it('repeats its sequence for a seed and differs across seeds', () => {
    const draw = (seed: number) => {
      const rng = createRandom(seed);
      return Array.from({ length: 50 }, () => rng.uint32());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it('keeps helpers within their bounds', () => {
    const rng = createRandom(1);
    for (let index = 0; index < 10_000; index++) {
      const value = rng.next();
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
      const int = rng.int(-3, 3);
      expect(Number.isInteger(int) && int >= -3 && int <= 3).toBe(true);
    }
    const seen = new Set(Array.from({ length: 2000 }, () => rng.int(0, 4)));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(rng.pickWeighted(['a', 'b'], [0, 1])).toBe('b');
    expect(rng.hex(7)).toMatch(/^[0-9a-f]{7}$/);
    expect(rng.suffix(5)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(() => rng.pick([])).toThrow();
  });

  it('draws unique version-4 UUIDs', () => {
    const rng = createRandom(3);
    const ids = Array.from({ length: 100_000 }, () => rng.uuid());
    for (const id of ids.slice(0, 100))
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('forks independent streams that ignore draws already made', () => {
    const a = createRandom(5);
    const b = createRandom(5);
    b.uint32();
    expect(a.fork('x').uint32()).toBe(b.fork('x').uint32());
    expect(a.fork('x').uint32()).not.toBe(a.fork('y').uint32());
  });
});
