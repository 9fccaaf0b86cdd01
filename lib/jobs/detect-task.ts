// The detect job: run the rules over an event-time range. Enqueued by every ingest
// chunk (debounced per batch) and every minute over recent data for live webhooks.
import type { Task } from 'graphile-worker';
import type pg from 'pg';
import { z } from 'zod';
import { runDetection } from '../detections/engine';

export const DETECT_TASK = 'detect';
export const DETECT_RECENT_TASK = 'detect-recent';
/** The scheduled pass looks this far back, so events that arrive a little late are still seen. */
export const RECENT_WINDOW_MS = 15 * 60_000;

export const detectPayloadSchema = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  batchId: z.uuid().optional(),
});
export type DetectPayload = z.infer<typeof detectPayloadSchema>;

export function createDetectTasks(pool: pg.Pool, log: (message: string) => void): Record<string, Task> {
  return {
    [DETECT_TASK]: async (payload) => {
      const { from, to } = detectPayloadSchema.parse(payload);
      const result = await runDetection(pool, { from: new Date(from), to: new Date(to) });
      if (result.created + result.updated > 0)
        log(`detect ${from} → ${to}: ${result.created} alert(s) created, ${result.updated} updated`);
    },
    [DETECT_RECENT_TASK]: async () => {
      const to = new Date();
      await runDetection(pool, { from: new Date(to.getTime() - RECENT_WINDOW_MS), to });
    },
  };
}

/**
 * Enqueues detection for what a batch stored so far, inside the caller's transaction.
 * One job per batch: each chunk replaces it with the batch's whole range and pushes it
 * back two seconds, so a large upload is detected once, shortly after its last chunk.
 */
export async function enqueueBatchDetection(
  client: pg.ClientBase,
  batchId: string,
  range: { from: string; to: string },
) {
  await client.query(
    `SELECT graphile_worker.add_job($1, $2::json, job_key := $3, job_key_mode := 'replace', run_at := now() + interval '2 seconds', max_attempts := 10)`,
    [DETECT_TASK, JSON.stringify({ ...range, batchId }), `detect-batch-${batchId}`],
  );
}
