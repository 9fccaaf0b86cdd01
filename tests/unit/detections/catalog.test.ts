import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleCatalog, ruleDefinitions } from '../../../lib/detections/registry';

const rulesDir = path.join(import.meta.dirname, '../../../lib/detections/rules');

// Elastic's risk bands: low 0-21, medium 22-47, high 48-73, critical 74-100.
const riskBands = { low: [0, 21], medium: [22, 47], high: [48, 73], critical: [74, 100] } as const;

/** Parameters that switch upstream behaviour on or off. */
const SWITCHES = new Set(['personsAcrossClusters', 'requireLinuxFileEvents']);
describe('rule catalog', () => {
  it('registers every rule folder exactly once, under the folder name', () => {
    const folders = readdirSync(rulesDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(ruleDefinitions.map((rule) => rule.id).sort()).toEqual(folders);
    expect(new Set(ruleDefinitions.map((rule) => rule.id)).size).toBe(ruleDefinitions.length);
    expect(ruleCatalog.map((rule) => rule.id)).toEqual(ruleDefinitions.map((rule) => rule.id));
  });

  it.each(ruleDefinitions.map((rule) => [rule.id, rule] as const))('%s is well formed', (_id, rule) => {
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
      expect(entry.tactic.name.length).toBeGreaterThan(3);
      expect(entry.technique.name.length).toBeGreaterThan(3);
    }
    expect(rule.upstream.reference.length).toBeGreaterThan(0);
  });

  it.each(ruleDefinitions.map((rule) => [rule.id, rule] as const))('%s has an investigation guide', (id) => {
    const guidePath = path.join(rulesDir, id, 'guide.md');
    expect(existsSync(guidePath)).toBe(true);
    const guide = readFileSync(guidePath, 'utf8');
    expect(guide.trim().length).toBeGreaterThan(500);
    expect(guide).toMatch(/^# /);
    for (const section of ['Triage', 'False positives', 'Response']) expect(guide).toContain(section);
    expect(guide).not.toMatch(/<\/?(a|b|i|p|br|div|span|img|table|details|summary|code|pre)\b[^>]*>/i);
  });

  it.each(ruleDefinitions.map((rule) => [rule.id, rule] as const))('%s validates its parameters', (_id, rule) => {
    expect(Object.keys(rule.defaultParameters).length).toBeGreaterThan(0);
    expect(rule.parametersSchema.parse(rule.defaultParameters)).toEqual(rule.defaultParameters);
    for (const key of Object.keys(rule.defaultParameters)) {
      // A switch is 0 or 1; every other parameter (a window, a threshold, a span) is at least 1.
      const nonsenseValues = SWITCHES.has(key)
        ? [2, -1, 0.5, Number.NaN, '1', null]
        : [0, -1, 1.5, 1e9, Number.NaN, '6', null];
      if (SWITCHES.has(key)) {
        for (const value of [0, 1])
          expect(rule.parametersSchema.safeParse({ ...rule.defaultParameters, [key]: value }).success).toBe(true);
      }
      for (const nonsense of nonsenseValues) {
        expect(rule.parametersSchema.safeParse({ ...rule.defaultParameters, [key]: nonsense }).success).toBe(false);
      }
      const { [key]: _dropped, ...missing } = rule.defaultParameters;
      expect(rule.parametersSchema.safeParse(missing).success).toBe(false);
    }
    expect(rule.parametersSchema.safeParse({ ...rule.defaultParameters, unknownKnob: 1 }).success).toBe(false);
    const reach =
      rule.kind === 'sequence'
        ? rule.spanMs(rule.defaultParameters)
        : (() => {
            const windowing = rule.windowing(rule.defaultParameters);
            return windowing.kind === 'anchored' ? windowing.lengthMs : windowing.gapMs;
          })();
    expect(reach).toBeGreaterThan(0);
  });

  it.each(ruleDefinitions.map((rule) => [rule.id, rule] as const))(
    '%s has a constant, index-friendly prefilter',
    (_id, rule) => {
      for (const sql of [rule.prefilter.sql, ...(rule.kind === 'sequence' ? [rule.filePrefilter.sql] : [])]) {
        expect(sql.length).toBeGreaterThan(10);
        expect(sql).not.toMatch(/[;$]|--|\/\*/);
        expect(sql).not.toMatch(/\b(select|insert|update|delete|drop)\b/i);
      }
      // Each narrows on an indexed column: the resource (secrets), or the requesting pod.
      expect(rule.prefilter.sql).toMatch(/\b(resource|pod_name)\b/);
    },
  );
});
