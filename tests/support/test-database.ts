// A migrated database of one test file's own, with a pool and a Prisma client on it: for files whose
// timings, job queue or whole-table counts must not see other files' rows.
import pg from 'pg';
import { inject } from 'vitest';
import { createDb } from '../../lib/db/client';
import { applyAllMigrations } from '../../scripts/commands/migrate';
import { createScratchDatabase } from './database';

export async function openTestDatabase(label: string, options: { dbConnections?: number } = {}) {
  const database = await createScratchDatabase(inject('serverUrl'), label);
  await applyAllMigrations(database.url);
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  const db = createDb(database.url, options.dbConnections ?? 2);
  return {
    url: database.url,
    pool,
    db,
    async close() {
      await pool.end();
      await db.$disconnect();
      await database.drop();
    },
  };
}
