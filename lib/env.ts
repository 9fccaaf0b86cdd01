import path from 'node:path';
import { z } from 'zod';
import { AppError } from './app-error';
import { parseTrustedProxies } from './net/client-address';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const port = z.coerce
  .number({ error: 'must be a port number' })
  .int('must be a whole number')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

const byteSize = z.coerce
  .number({ error: 'must be a number of bytes' })
  .int('must be a whole number of bytes')
  .min(1024, 'must be at least 1024 bytes');

export const envSchema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' }).optional(),
  PORT: port.default(3000),
  HOST: z.string().min(1, 'must not be empty').default('127.0.0.1'),
  VIGIL_DATA_DIR: z.string().min(1, 'must not be empty').optional(),
  VIGIL_EMBEDDED_PG_PORT: port.default(54329),
  VIGIL_SEED_DEMO: booleanFlag.default(true),
  WORKER_CONCURRENCY: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(32, 'must be at most 32')
    .default(2),
  /** Signs session cookies; generated into the data folder when unset (set it when several web servers share a database). */
  VIGIL_AUTH_SECRET: z.string().min(32, 'must be at least 32 characters (try: openssl rand -base64 32)').optional(),
  /** The address people open, e.g. https://vigil.example.com; an http:// address turns off Secure cookies. */
  VIGIL_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  VIGIL_MAX_UPLOAD_BYTES: byteSize.default(10 * 1024 ** 3),
  VIGIL_MAX_WEBHOOK_BYTES: byteSize.default(32 * 1024 ** 2),
  /** What one input may decompress to (gzip); past it the batch fails, what came before kept. */
  VIGIL_MAX_DECOMPRESSED_BYTES: byteSize.default(50 * 1024 ** 3),
  /** Days raw events are kept when no admin set a retention period; unset: kept until one does. */
  VIGIL_RETENTION_DAYS: z.coerce
    .number({ error: 'must be a number of days' })
    .int('must be a whole number of days')
    .min(1, 'must be at least 1 day')
    .optional(),
  /** Proxies whose X-Forwarded-For is believed (addresses or CIDRs, comma-separated); else the socket address counts. */
  VIGIL_TRUSTED_PROXIES: z
    .string()
    .transform((text, context) => {
      try {
        return parseTrustedProxies(text);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    })
    .optional(),
  /** Notification destinations may point at link-local and cloud metadata addresses (169.254.0.0/16, fd00:ec2::254). */
  VIGIL_NOTIFY_ALLOW_PRIVATE: booleanFlag.default(false),
  /** Seconds between a failed notification's attempts (5 attempts over about 30 minutes by default). */
  VIGIL_NOTIFY_RETRY_DELAYS: z
    .string()
    .regex(/^\d+(\.\d+)?(,\d+(\.\d+)?)*$/, 'must be seconds separated by commas, e.g. 60,180,480,1080')
    .transform((text) => text.split(',').map(Number))
    .default([60, 180, 480, 1080]),
  /** Incidents: the longest quiet time between two alerts of one identity chain. */
  VIGIL_INCIDENT_GAP_HOURS: z.coerce
    .number({ error: 'must be a number of hours' })
    .positive('must be more than 0 hours')
    .max(24 * 90, 'must be at most 2160 hours (90 days)')
    .default(24),
  LOG_LEVEL: z
    .enum(['debug', 'info', 'warn', 'error'], { error: 'must be debug, info, warn or error' })
    .default('info'),
});

export type Env = z.infer<typeof envSchema> & { dataDir: string };

export type EnvIssue = { variable: string; message: string };

function invalidEnvironment(issues: EnvIssue[]) {
  const lines = issues.map((issue) => `  ${issue.variable}: ${issue.message}`).join('\n');
  return new AppError('misconfigured', `Invalid environment:\n${lines}`, { issues });
}

/** Parses environment variables; empty strings count as unset. Throws an AppError naming each bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const present = Object.fromEntries(
    Object.keys(envSchema.shape).flatMap((key) => {
      const value = source[key];
      return value === undefined || value === '' ? [] : [[key, value]];
    }),
  );
  const result = envSchema.safeParse(present);
  if (!result.success) {
    throw invalidEnvironment(
      result.error.issues.map((issue) => {
        const variable = String(issue.path[0] ?? 'environment');
        const value = present[variable];
        return { variable, message: value === undefined ? issue.message : `${issue.message} (got "${value}")` };
      }),
    );
  }
  return {
    ...result.data,
    dataDir: path.resolve(result.data.VIGIL_DATA_DIR ?? path.join(/*turbopackIgnore: true*/ process.cwd(), '.vigil')),
  };
}

let cached: Env | undefined;

/** The process environment, parsed once. */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
