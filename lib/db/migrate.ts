// Applies prisma/migrations with Prisma's own bookkeeping (_prisma_migrations, same
// advisory lock key), so `prisma migrate deploy` stays valid on machines that have
// Prisma's engine; this one never downloads it.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { AppError } from '../app-error';

/** The key `prisma migrate` locks on, so the two never run at once. */
const PRISMA_ADVISORY_LOCK_KEY = 72707369;

export const DEFAULT_MIGRATIONS_DIR = path.join(/*turbopackIgnore: true*/ process.cwd(), 'prisma', 'migrations');

export type LocalMigration = { name: string; sql: string; checksum: string };

export type MigrationStatus = {
  local: string[];
  applied: string[];
  pending: string[];
  /** Started but never finished: a failed migration that blocks the others. */
  failed: string[];
  /** Applied, but the file changed since. */
  modified: string[];
};

export type MigrateResult = { applied: string[]; alreadyApplied: number; warnings: string[] };

type AppliedRow = { migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null };

export function readLocalMigrations(migrationsDir = DEFAULT_MIGRATIONS_DIR): LocalMigration[] {
  if (!existsSync(/*turbopackIgnore: true*/ migrationsDir)) return [];
  return readdirSync(/*turbopackIgnore: true*/ migrationsDir, { withFileTypes: true })
    .filter(
      (entry) =>
        entry.isDirectory() &&
        existsSync(/*turbopackIgnore: true*/ path.join(migrationsDir, entry.name, 'migration.sql')),
    )
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(/*turbopackIgnore: true*/ path.join(migrationsDir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

async function readAppliedRows(client: pg.ClientBase): Promise<AppliedRow[]> {
  const exists = await client.query(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS present`);
  if (!exists.rows[0]?.present) return [];
  const result = await client.query<AppliedRow>(
    'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at',
  );
  return result.rows;
}

export function compareMigrations(local: LocalMigration[], rows: AppliedRow[]): MigrationStatus {
  const live = rows.filter((row) => row.rolled_back_at === null);
  const finished = new Map(live.filter((row) => row.finished_at !== null).map((row) => [row.migration_name, row]));
  const failed = live.filter((row) => row.finished_at === null).map((row) => row.migration_name);
  return {
    local: local.map((migration) => migration.name),
    applied: [...finished.keys()],
    pending: local.filter((migration) => !finished.has(migration.name)).map((migration) => migration.name),
    failed,
    modified: local
      .filter((migration) => {
        const row = finished.get(migration.name);
        return row !== undefined && row.checksum !== migration.checksum;
      })
      .map((migration) => migration.name),
  };
}

export async function readMigrationStatus(client: pg.ClientBase, migrationsDir = DEFAULT_MIGRATIONS_DIR) {
  return compareMigrations(readLocalMigrations(migrationsDir), await readAppliedRows(client));
}

/**
 * Applies every pending migration, each in its own transaction. A failing migration
 * is rolled back and recorded as rolled back with its error (as `prisma migrate
 * resolve --rolled-back` would), so fixing it and migrating again simply retries.
 */
export async function migrateDatabase(
  databaseUrl: string,
  migrationsDir = DEFAULT_MIGRATIONS_DIR,
): Promise<MigrateResult> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK_KEY]);
    await client.query(CREATE_MIGRATIONS_TABLE);
    const local = readLocalMigrations(migrationsDir);
    const status = compareMigrations(local, await readAppliedRows(client));
    if (status.failed.length > 0) {
      throw new AppError(
        'migration-failed',
        `Migration ${status.failed.join(', ')} failed earlier and was left unfinished (Prisma P3009). ` +
          'Inspect the database, then mark it resolved (`prisma migrate resolve`) or delete its row from "_prisma_migrations".',
      );
    }
    const warnings = status.modified.map((name) => `migration ${name} was modified after it was applied`);
    const applied: string[] = [];
    for (const migration of local.filter((candidate) => status.pending.includes(candidate.name))) {
      await applyMigration(client, migration);
      applied.push(migration.name);
    }
    return { applied, alreadyApplied: status.applied.length, warnings };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK_KEY]).catch(() => {});
    await client.end();
  }
}

// The bookkeeping row is written inside the migration's transaction: a process killed
// mid-migration leaves neither half a schema nor a row that would block the next start.
async function applyMigration(client: pg.ClientBase, migration: LocalMigration) {
  const id = randomUUID();
  try {
    await client.query('BEGIN');
    await client.query(
      'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)',
      [id, migration.checksum, migration.name],
    );
    await client.query(migration.sql);
    await client.query('UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [
      id,
    ]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    const message = error instanceof Error ? error.message : String(error);
    await client.query(
      'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, rolled_back_at, logs) VALUES ($1, $2, $3, now(), now(), $4)',
      [id, migration.checksum, migration.name, message],
    );
    throw new AppError('migration-failed', `Migration ${migration.name} failed and was rolled back: ${message}`);
  }
}
