import type { CommandResult } from '../cli-output';
import { runDbDiff } from '../db-diff';
import { withDatabase } from '../with-database';

/** Writes prisma/migrations/<timestamp>_<name>/ from the difference between schema.prisma and the migrations. */
export async function dbDiffCommand(args: string[]): Promise<CommandResult> {
  const [name] = args;
  if (!name) throw new Error('usage: npm run db:diff -- <name>   (lowercase letters, digits and underscores)');
  return withDatabase(
    async (database) => {
      const result = await runDbDiff({ name, databaseUrl: database.url, root: process.cwd() });
      return {
        ok: true,
        text: result.created
          ? `Wrote ${result.created}\n\n${result.sql}`
          : 'schema.prisma and the migrations agree: nothing to write.',
        json: { created: result.created, sql: result.sql },
      };
    },
    { needsSchema: false },
  );
}
