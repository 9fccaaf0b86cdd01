import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Env } from '../env';
import { AppError } from '../app-error';

export const EMBEDDED_DATABASE_NAME = 'vigil';

export type EmbeddedCredentials = { user: string; password: string };

export function embeddedPaths(dataDir: string) {
  return {
    clusterDir: path.join(dataDir, 'postgres'),
    credentialsFile: path.join(dataDir, 'postgres.json'),
  };
}

export function embeddedDatabaseUrl(credentials: EmbeddedCredentials, port: number, database = EMBEDDED_DATABASE_NAME) {
  return `postgresql://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/${database}`;
}

export function readEmbeddedCredentials(dataDir: string): EmbeddedCredentials | undefined {
  try {
    const parsed = JSON.parse(
      readFileSync(/*turbopackIgnore: true*/ embeddedPaths(dataDir).credentialsFile, 'utf8'),
    ) as Partial<EmbeddedCredentials>;
    return typeof parsed.user === 'string' && typeof parsed.password === 'string'
      ? { user: parsed.user, password: parsed.password }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The port of the embedded server running on this data folder, from its postmaster.pid (line 4), or null
 * when none runs: a second shell's `vigil` then talks to the server `npm start` started, on its port.
 */
export function readRunningServerPort(clusterDir: string): number | null {
  try {
    const lines = readFileSync(/*turbopackIgnore: true*/ path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n');
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    if (!pid || !port) return null;
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres') ? port : null;
  } catch {
    return null;
  }
}

/** DATABASE_URL when set, else the embedded database created by an earlier `npm start` (on the port it runs on). */
export function resolveDatabaseUrl(env: Pick<Env, 'DATABASE_URL' | 'dataDir' | 'VIGIL_EMBEDDED_PG_PORT'>): string {
  if (env.DATABASE_URL) return env.DATABASE_URL;
  const credentials = readEmbeddedCredentials(env.dataDir);
  if (!credentials)
    throw new AppError(
      'no-database',
      'No database configured: set DATABASE_URL, or run `npm start` once to create the embedded database.',
    );
  const running = readRunningServerPort(embeddedPaths(env.dataDir).clusterDir);
  return embeddedDatabaseUrl(credentials, running ?? env.VIGIL_EMBEDDED_PG_PORT);
}

/** The URL with its password hidden, for logs and diagnostics. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
