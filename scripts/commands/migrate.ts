import { createDb } from '../../lib/db/client';
import { migrateDatabase } from '../../lib/db/migrate';
import { syncRuleCatalog } from '../../lib/rules/sync-rule-catalog';
import { migrateJobQueue } from '../../lib/jobs/run-worker';
import type { CommandResult } from '../cli-output';
import { withDatabase } from '../with-database';

/** Applies the app's migrations and the job queue's schema, and writes the rule catalog (reference data). */
export async function applyAllMigrations(databaseUrl: string) {
  const result = await migrateDatabase(databaseUrl);
  await migrateJobQueue(databaseUrl);
  const db = createDb(databaseUrl, 1);
  try {
    await syncRuleCatalog(db);
  } finally {
    await db.$disconnect();
  }
  return result;
}

export async function migrateCommand(): Promise<CommandResult> {
  return withDatabase(
    async (database) => {
      const result = await applyAllMigrations(database.url);
      const lines = [
        result.applied.length > 0
          ? `Applied ${result.applied.length} migration(s): ${result.applied.join(', ')}`
          : `Database is up to date (${result.alreadyApplied} migration(s) applied).`,
        ...result.warnings.map((warning) => `warning: ${warning}`),
      ];
      return { ok: true, text: lines.join('\n'), json: { database: database.description, ...result } };
    },
    { needsSchema: false },
  );
}
