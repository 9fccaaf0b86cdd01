import { spawn } from 'node:child_process';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ruleCatalog } from '../../lib/detections/registry';
import { createScratchDatabase } from '../support/database';
import { runCli, VIGIL_BIN } from '../support/run-cli';

const database = await createScratchDatabase(inject('serverUrl'), 'cli');
const env = { DATABASE_URL: database.url };
afterAll(() => database.drop());

function parseJson(stdout: string) {
  return JSON.parse(stdout) as Record<string, unknown> & { ok: boolean };
}

describe('vigil command line', () => {
  it('migrate applies the migrations, then reports the database up to date', async () => {
    const first = await runCli(['migrate', '--json'], env);
    expect(first.code).toBe(0);
    const report = parseJson(first.stdout);
    expect(report.ok).toBe(true);
    expect((report.applied as string[]).length).toBeGreaterThan(0);
    expect(report.database).not.toContain('password');

    const again = await runCli(['migrate'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/Database is up to date \(\d+ migration\(s\) applied\)/);
  });

  it('seed refreshes the rule catalog migrate wrote', async () => {
    const result = await runCli(['seed', '--json'], env);
    expect(result.code).toBe(0);
    expect(parseJson(result.stdout)).toMatchObject({ ok: true, rulesCreated: 0, rulesUpdated: ruleCatalog.length });
  });

  it('doctor exits 1 and says why when no worker runs, and 0 while one does', async () => {
    const withoutWorker = await runCli(['doctor'], env);
    expect(withoutWorker.code).toBe(1);
    expect(withoutWorker.stderr).toContain('✓ database: reachable');
    expect(withoutWorker.stderr).toContain('✓ migrations:');
    expect(withoutWorker.stderr).toContain('✗ worker: no worker heartbeat in the last 30 s');

    const worker = spawn(process.execPath, [VIGIL_BIN, 'worker'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await new Promise<void>((resolve) =>
        worker.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('running') && resolve()),
      );
      const healthy = await runCli(['doctor', '--json'], env);
      expect(healthy.code).toBe(0);
      expect(parseJson(healthy.stdout)).toMatchObject({ ok: true, worker: { ok: true, workers: 1 } });
    } finally {
      worker.kill('SIGTERM');
    }
    const exitCode = await new Promise((resolve) => worker.once('exit', resolve));
    expect(exitCode).toBe(0);
  });

  it('doctor reports an unreachable database with exit code 1', async () => {
    const result = await runCli(['doctor', '--json'], { DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none' });
    expect(result.code).toBe(1);
    expect(parseJson(result.stdout)).toMatchObject({ ok: false, database: { ok: false } });
  });

  it('stops on a bad environment variable with a message that names it', async () => {
    const result = await runCli(['doctor'], { ...env, PORT: 'eighty' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('PORT');
    expect(result.stderr).toContain('"eighty"');
    const json = await runCli(['migrate', '--json'], { ...env, WORKER_CONCURRENCY: 'lots' });
    expect(json.code).toBe(1);
    expect(parseJson(json.stdout).error).toMatch(/WORKER_CONCURRENCY/);
  });

  it('rejects an unknown command and explains db-diff usage', async () => {
    const unknown = await runCli(['frobnicate'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');

    const noName = await runCli(['db-diff'], env);
    expect(noName.code).toBe(1);
    expect(noName.stderr).toContain('npm run db:diff -- <name>');
  });

  it('db-diff writes nothing while schema.prisma and the migrations agree', async () => {
    const result = await runCli(['db-diff', 'nothing_to_do', '--json'], env);
    expect(result.code).toBe(0);
    expect(parseJson(result.stdout)).toMatchObject({ ok: true, created: null, sql: '' });
  });

  it('detect previews the rules over stored events without writing, and validates its options', async () => {
    const preview = await runCli(['detect', '--dry-run', '--json'], env);
    expect(preview.code).toBe(0);
    const report = parseJson(preview.stdout);
    expect(report).toMatchObject({ ok: true, dryRun: true, created: 0, updated: 0 });
    expect(Array.isArray(report.alerts)).toBe(true);

    const badRule = await runCli(['detect', '--rule', 'nope'], env);
    expect(badRule.code).toBe(1);
    expect(badRule.stderr).toContain('--rule: must be one of: secret-read-by-node-or-pod-sa');
    const badTime = await runCli(['detect', '--from', 'yesterday'], env);
    expect(badTime.code).toBe(1);
    expect(badTime.stderr).toContain('--from: must be an ISO 8601 time');
  });
});
