// What Vigil's background worker runs: every job, and the periodic clean-ups (after dead processes,
// and rebuilds of rules whose settings changed).
import { detectJob, queueStaleRebuilds, rebuildJob } from '../engine/detect-job';
import { failInterruptedBatches } from '../ingest/batches';
import type { Job } from '../jobs/define-job';
import { startWorker, type RunningWorker, type WorkerOptions } from '../jobs/run-worker';

export const VIGIL_JOBS: readonly Job<unknown>[] = [detectJob, rebuildJob];

export function startVigilWorker(options: Omit<WorkerOptions, 'jobs' | 'crontab' | 'sweeps'>): Promise<RunningWorker> {
  return startWorker({
    ...options,
    jobs: VIGIL_JOBS,
    sweeps: [
      async ({ log }) => {
        const failed = await failInterruptedBatches(options.db);
        if (failed > 0) log(`marked ${failed} interrupted ingest batch(es) failed`);
      },
      async ({ pool }) => {
        await queueStaleRebuilds(pool);
      },
    ],
  });
}
