// Writes the next migration: the SQL that brings a database with every
// existing migration applied to the state of prisma/schema.prisma.
// Run it as `npm run db:diff -- <name>`.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { diffSchema, MIGRATION_LOCK } from '../lib/db/schema-diff.ts';

const NAME_PATTERN = /^[a-z0-9_]+$/;

export async function runDbDiff(args: {
  name: string;
  databaseUrl: string;
  root: string;
}): Promise<{ created: string | null; sql: string }> {
  if (!NAME_PATTERN.test(args.name)) {
    throw new Error(`Invalid migration name "${args.name}": use lowercase letters, digits and underscores.`);
  }
  const migrationsDir = path.join(args.root, 'prisma/migrations');
  const sql = await diffSchema({
    databaseUrl: args.databaseUrl,
    schemaPath: path.join(args.root, 'prisma/schema.prisma'),
    migrationsDir,
  });
  if (sql === '') return { created: null, sql };

  const migrationDir = path.join(migrationsDir, `${utcTimestamp(new Date())}_${args.name}`);
  await mkdir(migrationDir, { recursive: true });
  const created = path.join(migrationDir, 'migration.sql');
  await writeFile(created, sql, { flag: 'wx' });
  await writeFile(path.join(migrationsDir, 'migration_lock.toml'), MIGRATION_LOCK, { flag: 'wx' }).catch(ifExists);
  return { created, sql };
}

/** YYYYMMDDHHMMSS in UTC, as Prisma names migration folders. */
function utcTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

function ifExists(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
}
