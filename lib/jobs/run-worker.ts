// The background worker: graphile-worker's runner over the jobs it is given, a heartbeat row that
// /api/health and `vigil doctor` read to tell whether a worker is alive, and a sweep after dead
// processes (their locked jobs, and whatever else the caller's sweeps clean up).
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { EventEmitter } from 'node:events';
import { Logger, makeWorkerUtils, run, runMigrations, type WorkerEvents } from 'graphile-worker';
import type { Db } from '../db/client';
import {
  recordWorkerHeartbeat,
  removeWorkerHeartbeat,
  takeDeadWorkers,
  WORKER_HEARTBEAT_INTERVAL_MS,
  WORKER_STALE_AFTER_MS,
  type WorkerIdentity,
} from '../health/worker-heartbeat';
import pg from 'pg';
import type { Job, JobContext } from './define-job';

export type RunningWorker = { id: string; stop(): Promise<void> };

export type WorkerOptions = {
  db: Db;
  databaseUrl: string;
  concurrency: number;
  /** Every job this worker runs. */
  jobs: readonly Job<unknown>[];
  /** graphile-worker crontab lines for scheduled jobs. */
  crontab?: string;
  /** Clean-ups after processes that died, run with the dead-worker sweep (e.g. interrupted ingest batches). */
  sweeps?: readonly ((context: JobContext) => Promise<void>)[];
  log?: (message: string) => void;
};

/** Installs or upgrades graphile-worker's own schema (graphile_worker). */
export async function migrateJobQueue(databaseUrl: string) {
  await runMigrations({ connectionString: databaseUrl, logger: quietLogger() });
}

export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const log = options.log ?? (() => {});
  const identity: WorkerIdentity = {
    id: `worker-${os.hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`,
    hostname: os.hostname(),
    pid: process.pid,
    startedAt: new Date(),
    jobWorkerIds: [],
  };
  const events: WorkerEvents = new EventEmitter();
  // graphile-worker 0.18 locks jobs in its pool's name (`pool-…`), not its workers' (`worker-…`).
  events.on('pool:create', ({ workerPool }) => identity.jobWorkerIds.push(workerPool.id));
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.concurrency + 1 });
  pool.on('error', () => {});
  const runner = await run({
    connectionString: options.databaseUrl,
    concurrency: options.concurrency,
    taskList: Object.fromEntries(options.jobs.map((job) => [job.name, job.task({ pool, log })])),
    crontab: options.crontab ?? '',
    noHandleSignals: true,
    pollInterval: 1000,
    logger: quietLogger(log),
    events,
  });
  await recordWorkerHeartbeat(options.db, identity);
  const beat = setInterval(() => {
    recordWorkerHeartbeat(options.db, identity).catch((error: unknown) => log(`heartbeat failed: ${String(error)}`));
  }, WORKER_HEARTBEAT_INTERVAL_MS);
  const sweepOnce = () =>
    sweepAfterDeadProcesses(options, { pool, log }).catch((error: unknown) => log(`sweep failed: ${String(error)}`));
  void sweepOnce();
  const sweep = setInterval(sweepOnce, WORKER_SWEEP_INTERVAL_MS);
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

const WORKER_SWEEP_INTERVAL_MS = 10_000;

/**
 * What a dead process leaves behind, found by the live ones: the caller's sweeps (ingest batches
 * stuck in "running"), and jobs its workers had locked (graphile-worker would wait four hours).
 */
export async function sweepAfterDeadProcesses(
  options: Pick<WorkerOptions, 'db' | 'databaseUrl' | 'sweeps'>,
  context: JobContext,
  staleAfterMs = WORKER_STALE_AFTER_MS,
) {
  const { log } = context;
  for (const sweep of options.sweeps ?? []) await sweep(context);
  const dead = await takeDeadWorkers(options.db, new Date(), staleAfterMs);
  if (dead.lockIds.length === 0) return;
  const utils = await makeWorkerUtils({ connectionString: options.databaseUrl, logger: quietLogger(log) });
  try {
    const held = await utils.withPgClient((client) =>
      client.query<{ n: number }>(`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE locked_by = ANY($1)`, [
        dead.lockIds,
      ]),
    );
    await utils.forceUnlockWorkers(dead.lockIds);
    log(
      `worker process(es) ${dead.processIds.join(', ')} stopped beating: released the ${held.rows[0]!.n} job(s) they held`,
    );
  } finally {
    await utils.release();
  }
}

function quietLogger(log: (message: string) => void = () => {}) {
  // graphile-worker logs every job at info; keep warnings and errors.
  return new Logger(() => (level, message) => {
    if (level === 'error' || level === 'warning') log(`[jobs] ${message}`);
  });
}
