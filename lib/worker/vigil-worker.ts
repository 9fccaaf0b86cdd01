// What Vigil's background worker runs: every job, retention once a day, and the periodic upkeep (after
// dead processes, rebuilds of rules whose settings changed, partitions ahead of live data).
import { detectJob, queueStaleRebuilds, rebuildJob } from '../engine/detect-job';
import { failInterruptedBatches } from '../ingest/batches';
import { regroupIncidentsJob } from '../incidents/incident-jobs';
import type { Job } from '../jobs/define-job';
import { startWorker, type RunningWorker, type WorkerOptions } from '../jobs/run-worker';
import { ensurePartitionsAhead, RETENTION_CRONTAB, retentionJob } from '../storage/storage-jobs';
import { NOTIFICATION_JOBS } from '../notifications/notification-jobs';

export const VIGIL_JOBS: readonly Job<unknown>[] = [
  detectJob,
  rebuildJob,
  retentionJob,
  regroupIncidentsJob,
  ...NOTIFICATION_JOBS,
];

const HOUR_MS = 3_600_000;

export function startVigilWorker(options: Omit<WorkerOptions, 'jobs' | 'crontab' | 'sweeps'>): Promise<RunningWorker> {
  let partitionsCheckedAt = 0;
  return startWorker({
    ...options,
    jobs: VIGIL_JOBS,
    crontab: RETENTION_CRONTAB,
    sweeps: [
      async ({ log }) => {
        const failed = await failInterruptedBatches(options.db);
        if (failed > 0) log(`marked ${failed} interrupted ingest batch(es) failed`);
      },
      async ({ pool }) => {
        await queueStaleRebuilds(pool);
      },
      async ({ pool, log }) => {
        if (Date.now() - partitionsCheckedAt < HOUR_MS) return;
        partitionsCheckedAt = Date.now();
        const created = await ensurePartitionsAhead(pool);
        if (created > 0) log(`created ${created} partition(s) ahead of live data`);
      },
    ],
  });
}
