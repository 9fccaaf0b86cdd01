import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestStream } from '../../lib/ingest/ingest-stream';
import { startVigilWorker } from '../../lib/worker/vigil-worker';
import { seedDatabase } from '../../lib/seed/seed-database';
import { bytesOf, nativeEvent, ndjson } from '../support/audit-events';
import { VIGIL_BIN } from '../support/run-cli';
import { waitFor } from '../support/wait-for';
import { openTestDatabase } from '../support/test-database';

// Jobs and heartbeats are global state: this file works in a database of its own.
const database = await openTestDatabase('recover');
const { pool, db } = database;

beforeAll(async () => {
  await seedDatabase(db, { demo: false });
});
afterAll(async () => {
  await database.close();
});

describe('a worker process killed with SIGKILL mid-job', () => {
  it('has its job released and finished by a live worker within two minutes, and the log says so', async () => {
    const start = Date.parse('2026-11-20T14:00:00Z');
    const burst = ['k1', 'k2', 'k3'].map((name, index) =>
      nativeEvent({
        user: { username: 'trudy@example.com', groups: ['system:authenticated'] },
        sourceIPs: ['198.51.100.66'],
        objectRef: { resource: 'secrets', namespace: 'prod', name, apiVersion: 'v1' },
        requestReceivedTimestamp: new Date(start + index * 5_000).toISOString(),
      }),
    );
    const summary = await ingestStream(
      bytesOf(ndjson(burst)),
      { source: 'cli', format: 'k8s-audit', cluster: 'recover' },
      { pool },
    );
    const jobKey = `detect-batch-${summary.batchId}`;

    // Hold the rule catalog so the job blocks inside its first query, locked by the process we then kill.
    const blocker = await pool.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE rules IN ACCESS EXCLUSIVE MODE');
    const child = spawn(process.execPath, [VIGIL_BIN, 'worker'], {
      env: { ...process.env, DATABASE_URL: database.url, WORKER_CONCURRENCY: '1' },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    let held: { id: string; locked_by: string };
    try {
      // Usually the batch's job; the every-minute pass may come first, and then that one is the held job.
      held = await waitFor('the child worker to lock a job', 60_000, async () => {
        const row = (
          await pool.query<{ id: string; locked_by: string }>(
            `SELECT id::text AS id, locked_by FROM graphile_worker.jobs WHERE locked_by IS NOT NULL`,
          )
        ).rows[0];
        return row;
      });
      child.kill('SIGKILL');
      await exited;
    } finally {
      await blocker.query('COMMIT');
      blocker.release();
    }
    // What graphile-worker 0.18 really locks with: the pool's id, not a per-worker one.
    expect(held.locked_by).toMatch(/^pool-/);
    expect((await pool.query(`SELECT 1 FROM alerts WHERE username = 'trudy@example.com'`)).rowCount).toBe(0);

    const log: string[] = [];
    const killedAt = Date.now();
    const worker = await startVigilWorker({
      db,
      databaseUrl: database.url,
      concurrency: 1,
      log: (line) => log.push(line),
    });
    try {
      const alert = await waitFor('the live worker to finish the released job', 120_000, async () => {
        const row = (
          await pool.query<{ event_count: number }>(
            `SELECT event_count FROM alerts WHERE username = 'trudy@example.com'`,
          )
        ).rows[0];
        const queued = (
          await pool.query(`SELECT 1 FROM graphile_worker.jobs WHERE key = $1 OR id = $2::bigint`, [jobKey, held.id])
        ).rowCount;
        return row && queued === 0 ? row : undefined;
      });
      expect(alert).toEqual({ event_count: 3 });
      expect(Date.now() - killedAt).toBeLessThan(120_000);
      expect(log.join('\n')).toMatch(/stopped beating: released the 1 job\(s\) they held/);
      expect(await db.workerHeartbeat.count({ where: { jobWorkerIds: { has: held.locked_by } } })).toBe(0);
    } finally {
      await worker.stop();
    }
  }, 240_000);
});

describe('a job whose payload fails its schema', () => {
  it('fails for good on its first attempt, with the reason kept, instead of being retried', async () => {
    await pool.query(
      `SELECT graphile_worker.add_job('detect', '{"cluster": 7}'::json, job_key := 'bad-payload', max_attempts := 10)`,
    );
    const worker = await startVigilWorker({ db, databaseUrl: database.url, concurrency: 1 });
    try {
      const job = await waitFor('the job to fail', 30_000, async () => {
        const row = (
          await pool.query<{ attempts: number; max_attempts: number; last_error: string | null }>(
            `SELECT attempts, max_attempts, last_error FROM graphile_worker.jobs WHERE key = 'bad-payload'`,
          )
        ).rows[0];
        return row?.last_error ? row : undefined;
      });
      expect(job).toMatchObject({ attempts: 1, max_attempts: 1 });
      expect(job.last_error).toMatch(/detect: invalid payload, not retried: cluster: /);
    } finally {
      await worker.stop();
    }
  });
});
