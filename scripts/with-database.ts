import { getEnv } from '../lib/env';
import { redactDatabaseUrl } from '../lib/db/database-url';
import { startEmbeddedDatabase } from '../lib/db/embedded';

export type DatabaseHandle = { url: string; embedded: boolean; description: string };

/**
 * Runs `work` against DATABASE_URL, or against the embedded database, which is
 * started for the duration when it is not running and left as found otherwise.
 */
export async function withDatabase<T>(
  work: (database: DatabaseHandle) => Promise<T>,
  log: (message: string) => void = () => {},
): Promise<T> {
  const env = getEnv();
  if (env.DATABASE_URL) {
    return work({ url: env.DATABASE_URL, embedded: false, description: redactDatabaseUrl(env.DATABASE_URL) });
  }
  const embedded = await startEmbeddedDatabase({ dataDir: env.dataDir, port: env.VIGIL_EMBEDDED_PG_PORT, log });
  try {
    return await work({
      url: embedded.url,
      embedded: true,
      description: `embedded PostgreSQL in ${embedded.clusterDir}`,
    });
  } finally {
    if (!embedded.reused) await embedded.stop();
  }
}
