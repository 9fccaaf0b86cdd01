import 'server-only';
import pg from 'pg';
import { getEnv } from '../env';
import { resolveDatabaseUrl } from './database-url';

const globalForPool = globalThis as unknown as { vigilPool?: pg.Pool };

/** The process-wide pg pool, for what Prisma cannot do (COPY). */
export function getPool(): pg.Pool {
  if (!globalForPool.vigilPool || globalForPool.vigilPool.ended) {
    const pool = new pg.Pool({ connectionString: resolveDatabaseUrl(getEnv()), max: 6 });
    // An idle client dropped by the server (restart, failover) must not crash the process.
    pool.on('error', () => {});
    globalForPool.vigilPool = pool;
  }
  return globalForPool.vigilPool;
}
