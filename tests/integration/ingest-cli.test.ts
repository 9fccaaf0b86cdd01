import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { gzip, nativeEvent, ndjson } from '../support/audit-events';
import { runCli } from '../support/run-cli';

const env = { DATABASE_URL: inject('databaseUrl') };

function fixture(name: string, content: string | Buffer) {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'vigil-cli-')), name);
  writeFileSync(file, content);
  return file;
}

describe('vigil ingest', () => {
  it('ingests several files and prints one summary per file', async () => {
    const cluster = `cli-${Date.now()}`;
    const events = [nativeEvent(), nativeEvent()];
    const plain = fixture('a.ndjson', ndjson([...events, '{"kind":"Event"']));
    const zipped = fixture('b.ndjson.gz', gzip(ndjson(events)));
    const result = await runCli(['ingest', plain, zipped, '--cluster', cluster, '--json'], env);
    expect(result.code).toBe(0);
    const { ok, batches } = JSON.parse(result.stdout);
    expect(ok).toBe(true);
    expect(batches).toMatchObject([
      {
        file: plain,
        format: 'k8s-audit',
        received: 3,
        stored: 2,
        duplicates: 0,
        rejected: 1,
        skipped: 0,
        cluster,
        source: 'cli',
      },
      { file: zipped, format: 'k8s-audit', received: 2, stored: 0, duplicates: 2, rejected: 0 },
    ]);
    expect(batches[0].errors).toEqual([{ line: 3, reason: expect.stringMatching(/malformed JSON|ends inside/) }]);

    const text = await runCli(['ingest', plain, '--cluster', cluster], env);
    expect(text.stdout).toContain('received 3  stored 0  duplicates 2  rejected 1');
    expect(text.stdout).toMatch(/line 3: /);
  });

  it('exits 1 and says why for a file it cannot use, after ingesting the others', async () => {
    const good = fixture('good.ndjson', ndjson([nativeEvent()]));
    const bad = fixture('notes.txt', 'these are my notes\n');
    const result = await runCli(['ingest', bad, good, '--json'], env);
    expect(result.code).toBe(1);
    const { batches } = JSON.parse(result.stdout);
    expect(batches[0]).toMatchObject({ status: 'failed', error: expect.stringMatching(/Supported: /) });
    expect(batches[1]).toMatchObject({ status: 'completed', stored: 1 });
  });

  it('refuses a file it cannot read before starting anything', async () => {
    const result = await runCli(['ingest', '/nonexistent/audit.log'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot read /nonexistent/audit.log');
  });

  it('validates its options', async () => {
    const result = await runCli(['ingest', 'x.log', '--format', 'syslog'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/format: must be one of/);
  });
});
