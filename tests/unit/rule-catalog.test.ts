import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleCatalog } from '../../lib/detections/registry';

const rulesDir = path.join(import.meta.dirname, '../../lib/detections/rules');

// Elastic's risk bands: low 0-21, medium 22-47, high 48-73, critical 74-100.
const riskBands = { low: [0, 21], medium: [22, 47], high: [48, 73], critical: [74, 100] } as const;

describe('rule catalog', () => {
  it('registers every rule folder exactly once, under the folder name', () => {
    const folders = readdirSync(rulesDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(ruleCatalog.map((rule) => rule.id).sort()).toEqual(folders);
    expect(new Set(ruleCatalog.map((rule) => rule.id)).size).toBe(ruleCatalog.length);
  });

  it.each(ruleCatalog.map((rule) => [rule.id, rule] as const))('%s is well formed', (_id, rule) => {
    expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(rule.name.length).toBeGreaterThan(10);
    expect(rule.description.length).toBeGreaterThan(40);
    const [min, max] = riskBands[rule.severity];
    expect(rule.riskScore).toBeGreaterThanOrEqual(min);
    expect(rule.riskScore).toBeLessThanOrEqual(max);
    expect(rule.mitre.length).toBeGreaterThan(0);
    for (const entry of rule.mitre) {
      expect(entry.tactic.id).toMatch(/^TA\d{4}$/);
      expect(entry.technique.id).toMatch(/^T\d{4}$/);
      if (entry.subtechnique) expect(entry.subtechnique.id).toMatch(new RegExp(`^${entry.technique.id}\\.\\d{3}$`));
    }
    expect(Object.keys(rule.defaultParameters).length).toBeGreaterThan(0);
  });
});
