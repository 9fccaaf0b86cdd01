import { createDb } from '../../lib/db/client';
import { getEnv } from '../../lib/env';
import { seedDatabase } from '../../lib/seed/seed-database';
import type { CommandResult } from '../cli-output';
import { withDatabase } from '../with-database';

export async function seedCommand(): Promise<CommandResult> {
  return withDatabase(async (database) => {
    const db = createDb(database.url, 2);
    try {
      const result = await seedDatabase(db, { demo: getEnv().VIGIL_SEED_DEMO });
      return {
        ok: true,
        text: `Rules: ${result.rulesCreated} created, ${result.rulesUpdated} refreshed. Demo data: ${result.demo}.`,
        json: { database: database.description, ...result },
      };
    } finally {
      await db.$disconnect();
    }
  });
}
