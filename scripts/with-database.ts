import pg from 'pg';
import { AppError } from '../lib/app-error';
import { redactDatabaseUrl } from '../lib/db/database-url';
import { startEmbeddedDatabase } from '../lib/db/embedded';
import { readMigrationStatus } from '../lib/db/migrate';
import { getEnv } from '../lib/env';

export type DatabaseHandle = { url: string; embedded: boolean; description: string };

export type DatabaseOptions = {
  /** The command works on Vigil's tables: refuse, saying what to run, when they are not all there. */
  needsSchema?: boolean;
  log?: (message: string) => void;
};

/** Says which database a command talks to, on stderr: --json output on stdout stays one document. */
const say = (message: string) => process.stderr.write(`[vigil] ${message}\n`);

/**
 * Runs `work` against DATABASE_URL, or against the embedded database: the one `npm start` is running
 * in another shell (on the port it took), else started for the duration and stopped afterwards.
 */
export async function withDatabase<T>(
  work: (database: DatabaseHandle) => Promise<T>,
  options: DatabaseOptions = {},
): Promise<T> {
  const env = getEnv();
  const log = options.log ?? (() => {});
  if (env.DATABASE_URL) {
    const database = { url: env.DATABASE_URL, embedded: false, description: redactDatabaseUrl(env.DATABASE_URL) };
    say(`database: ${database.description}`);
    if (options.needsSchema !== false) await requireSchema(database);
    return work(database);
  }
  const embedded = await startEmbeddedDatabase({ dataDir: env.dataDir, port: env.VIGIL_EMBEDDED_PG_PORT, log });
  try {
    const database = {
      url: embedded.url,
      embedded: true,
      description: `embedded PostgreSQL in ${embedded.clusterDir} (port ${embedded.port}${embedded.reused ? ', already running' : ''})`,
    };
    say(`database: ${database.description}`);
    if (options.needsSchema !== false) await requireSchema(database);
    return await work(database);
  } finally {
    if (!embedded.reused) await embedded.stop();
  }
}

/** A database without Vigil's schema (or with migrations pending) gets an instruction, not an SQL error. */
async function requireSchema(database: DatabaseHandle) {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const status = await readMigrationStatus(client);
    if (status.pending.length === 0 && status.failed.length === 0) return;
    const what =
      status.applied.length === 0
        ? 'has no Vigil tables yet'
        : `has ${status.pending.length} migration(s) not applied yet (${status.pending.join(', ')})`;
    throw new AppError('misconfigured', `the database ${database.description} ${what}: run \`npx vigil migrate\``);
  } finally {
    await client.end();
  }
}
