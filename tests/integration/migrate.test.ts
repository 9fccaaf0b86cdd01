import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { AppError } from '../../lib/app-error';
import { DEFAULT_MIGRATIONS_DIR, migrateDatabase, readMigrationStatus } from '../../lib/db/migrate';
import { createScratchDatabase, type ScratchDatabase } from '../support/database';

const scratch: ScratchDatabase[] = [];
async function freshDatabase() {
  const database = await createScratchDatabase(inject('serverUrl'), 'migrate');
  scratch.push(database);
  return database;
}
afterEach(async () => {
  await Promise.all(scratch.splice(0).map((database) => database.drop()));
});

async function query<T extends pg.QueryResultRow>(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

function copyOfMigrationsWith(extra: Record<string, string>) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-migrations-'));
  cpSync(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
  for (const [name, sql] of Object.entries(extra)) {
    mkdirSync(path.join(dir, name));
    writeFileSync(path.join(dir, name, 'migration.sql'), sql);
  }
  return dir;
}

describe('migrateDatabase', () => {
  it('applies every migration once, with Prisma-compatible bookkeeping', async () => {
    const database = await freshDatabase();
    const first = await migrateDatabase(database.url);
    expect(first.applied.length).toBeGreaterThan(0);
    const again = await migrateDatabase(database.url);
    expect(again).toEqual({ applied: [], alreadyApplied: first.applied.length, warnings: [] });

    const rows = await query<{
      migration_name: string;
      checksum: string;
      applied_steps_count: number;
      finished_at: Date;
    }>(database.url, 'SELECT migration_name, checksum, applied_steps_count, finished_at FROM "_prisma_migrations"');
    expect(rows.map((row) => row.migration_name)).toEqual(first.applied);
    for (const row of rows) {
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.applied_steps_count).toBe(1);
      expect(row.finished_at).toBeInstanceOf(Date);
    }
    const tables = await query<{ tablename: string }>(
      database.url,
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
    );
    expect(tables.map((table) => table.tablename)).toEqual(
      expect.arrayContaining(['audit_events', 'alerts', 'alert_events', 'allowlist_entries', 'users', 'api_tokens']),
    );
  });

  it('lets two concurrent starts apply the migrations exactly once', async () => {
    const database = await freshDatabase();
    const results = await Promise.all([migrateDatabase(database.url), migrateDatabase(database.url)]);
    const appliedTotal = results.reduce((total, result) => total + result.applied.length, 0);
    const rows = await query(database.url, 'SELECT 1 FROM "_prisma_migrations"');
    expect(appliedTotal).toBe(rows.length);
    expect(results.some((result) => result.applied.length === 0)).toBe(true);
  });

  it('rolls a failing migration back completely, records why, and retries it once fixed', async () => {
    const database = await freshDatabase();
    const failing = 'CREATE TABLE probe_half_done (id int);\nSELECT definitely_not_a_function();';
    const dir = copyOfMigrationsWith({ '29990101000000_broken': failing });
    await expect(migrateDatabase(database.url, dir)).rejects.toThrow(AppError);
    await expect(migrateDatabase(database.url, dir)).rejects.toMatchObject({ code: 'migration-failed' });
    await expect(migrateDatabase(database.url, dir)).rejects.toThrow(
      /29990101000000_broken failed and was rolled back/,
    );

    const leftovers = await query(database.url, "SELECT 1 FROM pg_tables WHERE tablename = 'probe_half_done'");
    expect(leftovers).toHaveLength(0);
    const [recorded] = await query<{ logs: string; rolled_back_at: Date | null }>(
      database.url,
      `SELECT logs, rolled_back_at FROM "_prisma_migrations" WHERE migration_name = '29990101000000_broken' LIMIT 1`,
    );
    expect(recorded?.logs).toContain('definitely_not_a_function');
    expect(recorded?.rolled_back_at).toBeInstanceOf(Date);

    writeFileSync(path.join(dir, '29990101000000_broken', 'migration.sql'), 'CREATE TABLE probe_half_done (id int);');
    const fixed = await migrateDatabase(database.url, dir);
    expect(fixed.applied).toEqual(['29990101000000_broken']);
  });

  it('refuses to go on after a migration that was left unfinished', async () => {
    const database = await freshDatabase();
    await migrateDatabase(database.url);
    await query(
      database.url,
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name) VALUES ('00000000-0000-0000-0000-000000000001', '${'0'.repeat(64)}', '29990101000000_stuck')`,
    );
    await expect(migrateDatabase(database.url)).rejects.toThrow(/29990101000000_stuck failed earlier/);
  });

  it('reports pending migrations and warns about edited ones', async () => {
    const database = await freshDatabase();
    const dir = copyOfMigrationsWith({ '29990101000000_later': 'SELECT 1;' });
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await migrateDatabase(database.url);
      expect((await readMigrationStatus(client, dir)).pending).toEqual(['29990101000000_later']);
      await migrateDatabase(database.url, dir);
      writeFileSync(path.join(dir, '29990101000000_later', 'migration.sql'), 'SELECT 2;');
      const result = await migrateDatabase(database.url, dir);
      expect(result.warnings).toEqual(['migration 29990101000000_later was modified after it was applied']);
    } finally {
      await client.end();
    }
  });
});
