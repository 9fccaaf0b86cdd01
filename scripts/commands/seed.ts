import pg from 'pg';
import { createDb } from '../../lib/db/client';
import { getEnv } from '../../lib/env';
import { seedDatabase } from '../../lib/seed/seed-database';
import type { CommandResult } from '../cli-output';
import { withDatabase } from '../with-database';

export async function seedCommand(): Promise<CommandResult> {
  return withDatabase(async (database) => {
    const db = createDb(database.url, 2);
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    try {
      const demo = getEnv().VIGIL_SEED_DEMO;
      const result = await seedDatabase(db, demo ? { demo, pool, now: new Date() } : { demo });
      return {
        ok: true,
        text: `Rules: ${result.rulesCreated} created, ${result.rulesUpdated} refreshed. Demo data: ${result.demo}${result.demoEvents ? ` (${result.demoEvents} events)` : ''}.`,
        json: { database: database.description, ...result },
      };
    } finally {
      await db.$disconnect();
      await pool.end();
    }
  });
}
