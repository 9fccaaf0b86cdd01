// What Vigil's background worker runs: every job, the crontab, and the clean-ups after dead processes.
import { DETECT_CRONTAB, detectJob, detectRecentJob } from '../engine/detect-job';
import { failInterruptedBatches } from '../ingest/batches';
import type { Job } from '../jobs/define-job';
import { startWorker, type RunningWorker, type WorkerOptions } from '../jobs/run-worker';

export const VIGIL_JOBS: readonly Job<unknown>[] = [detectJob, detectRecentJob];

export function startVigilWorker(options: Omit<WorkerOptions, 'jobs' | 'crontab' | 'sweeps'>): Promise<RunningWorker> {
  return startWorker({
    ...options,
    jobs: VIGIL_JOBS,
    crontab: DETECT_CRONTAB,
    sweeps: [
      async (log) => {
        const failed = await failInterruptedBatches(options.db);
        if (failed > 0) log(`marked ${failed} interrupted ingest batch(es) failed`);
      },
    ],
  });
}
