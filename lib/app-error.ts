// The one error type of Vigil's domain: a code that says what went wrong (HTTP routes map it to a
// status, the CLI and server actions show the message), a message for people, optional details.

export const APP_ERROR_CODES = [
  /** The request or its input is wrong (400). */
  'invalid',
  /** An input ended before its sender said it would (400): the connection was cut. */
  'cut-off',
  'forbidden',
  'not-found',
  /** It exists already, or is used up (409). */
  'conflict',
  'too-large',
  /** An input that is not audit data at all (422): empty, binary, an unknown format, broken gzip. */
  'empty-input',
  'not-text',
  'unknown-format',
  'bad-gzip',
  /** Records of a known format, every one of them refused (422): the reasons say why. */
  'rejected-input',
  /** The environment or the database is not set up as Vigil needs (the CLI says how to fix it). */
  'misconfigured',
  'no-database',
  'migration-failed',
  /** Something failed on Vigil's side (500). */
  'failed',
] as const;

export type AppErrorCode = (typeof APP_ERROR_CODES)[number];

export class AppError<Details extends Record<string, unknown> = Record<string, unknown>> extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: Details,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }
}

export function isAppError(error: unknown, ...codes: AppErrorCode[]): error is AppError {
  return error instanceof AppError && (codes.length === 0 || codes.includes(error.code));
}
