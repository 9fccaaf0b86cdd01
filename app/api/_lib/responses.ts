import { NextResponse } from 'next/server';
import type { AppErrorCode } from '@/lib/app-error';

export function jsonError(status: number, error: string, extra: Record<string, unknown> = {}) {
  return NextResponse.json({ error, ...extra }, { status, headers: { 'cache-control': 'no-store' } });
}

/** The HTTP status of each application error: the one place codes become statuses. */
export const APP_ERROR_STATUS: Record<AppErrorCode, number> = {
  invalid: 400,
  'cut-off': 400,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'too-large': 413,
  'empty-input': 422,
  'not-text': 422,
  'unknown-format': 422,
  'bad-gzip': 422,
  'rejected-input': 422,
  misconfigured: 503,
  'no-database': 503,
  'migration-failed': 503,
  failed: 500,
};
