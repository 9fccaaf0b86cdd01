import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getRuleDefinition } from '../../../lib/detections/registry';
import type { DetectionAuditEvent } from '../../../lib/detections/types';
import { parseRecord } from '../../../lib/ingest/detect-format';
import { toDetectionAuditEvent } from '../../support/detection-events';

// Real public samples live beside the repository, never inside it (licenses); see shared/fixtures/upstream/SOURCES.md.
const UPSTREAM = path.join(import.meta.dirname, '../../../../shared/fixtures/upstream');
const upstreamPresent = existsSync(UPSTREAM);

// js-yaml ships no types; the Panther rules are YAML.
const loadModule = createRequire(import.meta.url);

type Json = Record<string, unknown>;
type PantherTest = { name: string; expected: boolean; log: Json };

function loadPantherTests(file: string): PantherTest[] {
  const yaml = loadModule('js-yaml') as { load(text: string): unknown };
  const document = yaml.load(readFileSync(path.join(UPSTREAM, 'panther/rules/kubernetes_rules', file), 'utf8'));
  const tests = (document as { Tests?: unknown }).Tests;
  if (!Array.isArray(tests)) throw new Error(`${file}: no Tests list`);
  return tests.map((test: Json) => ({
    name: String(test.Name),
    expected: test.ExpectedResult === true,
    log: test.Log as Json,
  }));
}

/** Fill only what Panther's test logs omit (auditID, stage, requestReceivedTimestamp); never touch the rest. */
function toNativeRecord(log: Json, index: number): Json {
  return {
    ...log,
    auditID: log.auditID ?? `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    stage: log.stage ?? 'ResponseComplete',
    requestReceivedTimestamp: log.requestReceivedTimestamp ?? '2026-01-01T00:00:00Z',
  };
}

function ingest(record: Json): DetectionAuditEvent {
  const { outcomes } = parseRecord(record, { text: JSON.stringify(record), container: null }, 'auto');
  expect(outcomes).toHaveLength(1);
  const [outcome] = outcomes;
  if (outcome?.kind !== 'audit') throw new Error(`expected an audit event, got ${JSON.stringify(outcome)}`);
  return toDetectionAuditEvent(outcome.event, 'upstream');
}

if (!upstreamPresent) {
  it('has no upstream fixtures folder beside the repository', () => {
    expect(existsSync(UPSTREAM)).toBe(false);
  });
} else {
  describe('Panther k8s_secret_enumeration.yml tests against secret-enumeration-by-user', () => {
    const tests = loadPantherTests('k8s_secret_enumeration.yml');
    const rule = getRuleDefinition('secret-enumeration-by-user')!;

    it('loads the upstream tests', () => {
      expect(tests.length).toBeGreaterThan(0);
    });

    it.each(tests.map((test, index) => ({ ...test, index })))('$name', ({ log, expected, index }) => {
      const event = ingest(toNativeRecord(log, index));
      expect(rule.matches(event, rule.defaultParameters)).toBe(expected);
    });
  });
}
