// Every upstream sample through the whole pipeline: each record is stored (or a duplicate),
// or rejected/skipped with a reason. Only when ../shared/fixtures/upstream exists.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ingestStream } from '../../lib/ingest/ingest-stream';
import { bytesOf } from '../support/audit-events';

const UPSTREAM = path.join(import.meta.dirname, '../../../shared/fixtures/upstream');
const present = existsSync(UPSTREAM);

/** Not audit data as a whole: refused with the supported formats named, nothing stored. */
const REFUSED = new Set([
  'falco/k8s_audit_trace_files/fal_01_003.json', // Falco's negative case {"kind": 0}
  'elastic-integrations/kubernetes/audit_logs/test-kube-audit.log-expected.json', // {"expected": [...]}: a test's output
]);

function upstreamFiles(): string[] {
  const files = [
    ...readdirSync(path.join(UPSTREAM, 'falco/k8s_audit_trace_files')).map(
      (name) => `falco/k8s_audit_trace_files/${name}`,
    ),
    ...readdirSync(path.join(UPSTREAM, 'elastic-integrations/kubernetes/audit_logs')).map(
      (name) => `elastic-integrations/kubernetes/audit_logs/${name}`,
    ),
    'elastic-integrations/cloud_defend/alerts-sample_event.json',
  ];
  return files.filter((file) => existsSync(path.join(UPSTREAM, file)));
}

if (!present) {
  it('has no upstream samples to ingest: ../shared/fixtures/upstream is absent', () => {
    expect(existsSync(UPSTREAM)).toBe(false);
  });
} else {
  const pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 2 });
  afterAll(() => pool.end());

  describe('upstream samples through the pipeline', () => {
    it.each(upstreamFiles())('%s: every record is accounted for', async (file) => {
      const content = readFileSync(path.join(UPSTREAM, file));
      const ingest = ingestStream(
        bytesOf(content),
        { source: 'cli', format: 'auto', fileName: file, cluster: `upstream-${path.basename(file)}` },
        { pool },
      );
      if (REFUSED.has(file)) {
        await expect(ingest).rejects.toThrow(/none of the first \d+ records is a supported format\. Supported: /);
        return;
      }
      const summary = await ingest;
      expect(summary.received).toBe(summary.stored + summary.duplicates + summary.rejected + summary.skipped);
      expect(summary.received).toBeGreaterThan(0);
      for (const error of summary.errors) expect(error.reason.length).toBeGreaterThan(5);
    });
  });
}
