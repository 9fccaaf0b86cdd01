// The background worker: graphile-worker's runner plus a heartbeat row that
// /api/health and `vigil doctor` read to tell whether a worker is alive.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { Logger, run, runMigrations, type TaskList } from 'graphile-worker';
import type { Db } from '../db/client';
import { recordWorkerHeartbeat, removeWorkerHeartbeat, WORKER_HEARTBEAT_INTERVAL_MS } from '../health/worker-heartbeat';
import { failInterruptedBatches } from '../ingest/batches';
import pg from 'pg';
import { createTaskList, CRONTAB } from './tasks';

export type RunningWorker = { id: string; stop(): Promise<void> };

export type WorkerOptions = {
  db: Db;
  databaseUrl: string;
  concurrency: number;
  tasks?: TaskList;
  log?: (message: string) => void;
};

/** Installs or upgrades graphile-worker's own schema (graphile_worker). */
export async function migrateJobQueue(databaseUrl: string) {
  await runMigrations({ connectionString: databaseUrl, logger: quietLogger() });
}

export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const log = options.log ?? (() => {});
  const identity = {
    id: `worker-${os.hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`,
    hostname: os.hostname(),
    pid: process.pid,
    startedAt: new Date(),
  };
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.concurrency + 1 });
  pool.on('error', () => {});
  const runner = await run({
    connectionString: options.databaseUrl,
    concurrency: options.concurrency,
    taskList: options.tasks ?? createTaskList(pool, log),
    crontab: options.tasks ? '' : CRONTAB,
    noHandleSignals: true,
    pollInterval: 1000,
    logger: quietLogger(log),
  });
  await recordWorkerHeartbeat(options.db, identity);
  const beat = setInterval(() => {
    recordWorkerHeartbeat(options.db, identity).catch((error: unknown) => log(`heartbeat failed: ${String(error)}`));
  }, WORKER_HEARTBEAT_INTERVAL_MS);
  // Batches whose ingesting process died stay "running" until someone notices; the worker does.
  const sweepBatches = () =>
    failInterruptedBatches(options.db)
      .then((count) => count > 0 && log(`marked ${count} interrupted ingest batch(es) failed`))
      .catch((error: unknown) => log(`batch sweep failed: ${String(error)}`));
  void sweepBatches();
  const sweep = setInterval(sweepBatches, 60_000);
  log(`worker ${identity.id} running (concurrency ${options.concurrency})`);

  return {
    id: identity.id,
    async stop() {
      clearInterval(beat);
      clearInterval(sweep);
      await runner.stop();
      await pool.end();
      await removeWorkerHeartbeat(options.db, identity.id).catch(() => {});
    },
  };
}

function quietLogger(log: (message: string) => void = () => {}) {
  // graphile-worker logs every job at info; keep warnings and errors.
  return new Logger(() => (level, message) => {
    if (level === 'error' || level === 'warning') log(`[jobs] ${message}`);
  });
}
