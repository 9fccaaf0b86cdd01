import { AppError, type AppErrorCode } from '@/lib/app-error';

// What a person can act on; anything else (the database gone, a bug) goes to Next's error page and the log.
const REFUSALS = new Set<AppErrorCode>(['invalid', 'forbidden', 'not-found', 'conflict', 'too-large']);

/** A server action's answer to an application error: its message, to show beside the form. */
export function refusal(error: unknown): { ok: false; message: string } {
  if (error instanceof AppError && REFUSALS.has(error.code)) return { ok: false, message: error.message };
  throw error;
}
