import { createDb } from '../../lib/db/client';
import { redactDatabaseUrl, resolveDatabaseUrl } from '../../lib/db/database-url';
import { getEnv } from '../../lib/env';
import { checkHealth } from '../../lib/health/check-health';
import type { CommandResult } from '../cli-output';

/** Diagnoses without changing anything: it never starts the embedded database. */
export async function doctorCommand(): Promise<CommandResult> {
  const env = getEnv();
  const url = resolveDatabaseUrl(env);
  const database = env.DATABASE_URL ? redactDatabaseUrl(url) : `embedded PostgreSQL (${redactDatabaseUrl(url)})`;
  const db = createDb(url, 1);
  try {
    const health = await checkHealth(db);
    const line = (ok: boolean, label: string, detail: string) => `${ok ? '✓' : '✗'} ${label}: ${detail}`;
    const text = [
      line(
        health.database.ok,
        'database',
        health.database.ok
          ? `reachable (${database}, ${health.database.latencyMs} ms)`
          : `${health.database.error}${env.DATABASE_URL ? '' : ' — is `npm start` running?'}`,
      ),
      line(
        health.migrations.ok,
        'migrations',
        health.migrations.ok
          ? `${health.migrations.applied} applied, none pending`
          : (health.migrations.error ?? 'unknown'),
      ),
      line(
        health.worker.ok,
        'worker',
        health.worker.ok
          ? `alive (${health.worker.workers} running, last heartbeat ${health.worker.ageSeconds} s ago)`
          : (health.worker.error ?? 'unknown'),
      ),
    ].join('\n');
    return { ok: health.ok, text, json: { ...health, databaseUrl: database } };
  } finally {
    await db.$disconnect();
  }
}
