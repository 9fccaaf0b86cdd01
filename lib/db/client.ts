import 'server-only';
import { PrismaPg } from '@prisma/adapter-pg';
import { getEnv } from '../env';
import { resolveDatabaseUrl } from './database-url';
import { PrismaClient } from './generated/client';

export type Db = PrismaClient;

const globalForDb = globalThis as unknown as { vigilDb?: PrismaClient };

export function createDb(connectionString: string, max = 10): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max }) });
}

/** The process-wide Prisma client (one per process; kept on globalThis across dev reloads). */
export function getDb(): PrismaClient {
  globalForDb.vigilDb ??= createDb(resolveDatabaseUrl(getEnv()));
  return globalForDb.vigilDb;
}
