// The detect job: run the rules over an event-time range. Enqueued by every ingest chunk (one job
// per batch, pushed back while chunks keep coming) and every minute over recent data for live webhooks.
import type pg from 'pg';
import { z } from 'zod';
import { defineJob, enqueueJob } from '../jobs/define-job';
import { runDetection } from './run-detection';

/** The scheduled pass looks this far back, so events that arrive a little late are still seen. */
export const RECENT_WINDOW_MS = 15 * 60_000;

export const detectJob = defineJob({
  name: 'detect',
  payload: z.object({ from: z.iso.datetime(), to: z.iso.datetime(), batchId: z.uuid().optional() }),
  maxAttempts: 10,
  async run({ from, to }, { pool, log }) {
    const result = await runDetection(pool, { from: new Date(from), to: new Date(to) });
    if (result.created + result.updated > 0)
      log(`detect ${from} → ${to}: ${result.created} alert(s) created, ${result.updated} updated`);
  },
});

export const detectRecentJob = defineJob({
  name: 'detect-recent',
  // graphile-worker's crontab hands its own `_cron` details.
  payload: z.looseObject({}),
  maxAttempts: 3,
  async run(_payload, { pool }) {
    const to = new Date();
    await runDetection(pool, { from: new Date(to.getTime() - RECENT_WINDOW_MS), to });
  },
});

/** graphile-worker crontab: the scheduled pass over recent data, for live webhook streams. */
export const DETECT_CRONTAB = `* * * * * ${detectRecentJob.name} ?max=1`;

/**
 * Enqueues detection for what a batch stored so far, inside the caller's transaction. One job per
 * batch: each chunk replaces it with the batch's whole range and pushes it back two seconds, so a
 * large upload is detected once, shortly after its last chunk.
 */
export function enqueueBatchDetection(client: pg.ClientBase, batchId: string, range: { from: string; to: string }) {
  return enqueueJob(client, detectJob, { ...range, batchId }, { jobKey: `detect-batch-${batchId}`, delayMs: 2000 });
}
