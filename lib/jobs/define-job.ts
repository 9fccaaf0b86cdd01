// A background job: a name, a zod payload, and what it does. Enqueued inside the caller's
// transaction (so a crash never loses or invents a job); a payload that fails its schema
// fails for good instead of being retried.
import type { JobHelpers, Task } from 'graphile-worker';
import type pg from 'pg';
import type { z } from 'zod';
import { formatFirstIssue } from '../format-first-issue';

export type JobContext = { pool: pg.Pool; log: (message: string) => void };

export type JobDefinition<Payload> = {
  name: string;
  payload: z.ZodType<Payload>;
  maxAttempts?: number;
  run(payload: Payload, context: JobContext, helpers: JobHelpers): Promise<void>;
};

/** A defined job: what enqueueing needs, and the graphile-worker task that runs it. */
export type Job<Payload> = Pick<JobDefinition<Payload>, 'name' | 'payload' | 'maxAttempts'> & {
  task(context: JobContext): Task;
};

export function defineJob<Payload>(definition: JobDefinition<Payload>): Job<Payload> {
  return {
    name: definition.name,
    payload: definition.payload,
    maxAttempts: definition.maxAttempts,
    task: (context) => toTask(definition, context),
  };
}

export type EnqueueOptions = {
  /** One queued job per key; `replace` swaps its payload and run time. */
  jobKey?: string;
  jobKeyMode?: 'replace' | 'preserve_run_at' | 'unsafe_dedupe';
  /** Run no sooner than this many milliseconds from now. */
  delayMs?: number;
  /** Run no sooner than this (instead of delayMs). */
  runAt?: Date;
};

/** Adds the job inside the caller's transaction; the payload is checked before it is stored. */
export async function enqueueJob<Payload>(
  client: pg.ClientBase,
  job: Job<Payload>,
  payload: Payload,
  options: EnqueueOptions = {},
) {
  const checked = job.payload.parse(payload);
  await client.query(
    `SELECT graphile_worker.add_job($1, $2::json, job_key := $3, job_key_mode := $4,
       run_at := coalesce($7::timestamptz, now() + make_interval(secs => $5::double precision / 1000)),
       max_attempts := $6)`,
    [
      job.name,
      JSON.stringify(checked),
      options.jobKey ?? null,
      options.jobKeyMode ?? 'replace',
      options.delayMs ?? 0,
      job.maxAttempts ?? 25,
      options.runAt ?? null,
    ],
  );
}

function toTask<Payload>(job: JobDefinition<Payload>, context: JobContext): Task {
  return async (payload, helpers) => {
    const parsed = job.payload.safeParse(payload);
    if (!parsed.success) {
      // Retrying cannot make a payload valid: spend its attempts, so it shows as failed with this error.
      await helpers.query(`UPDATE graphile_worker._private_jobs SET max_attempts = attempts WHERE id = $1`, [
        helpers.job.id,
      ]);
      throw new Error(`${job.name}: invalid payload, not retried: ${formatFirstIssue(parsed.error)}`);
    }
    await job.run(parsed.data, context, helpers);
  };
}
