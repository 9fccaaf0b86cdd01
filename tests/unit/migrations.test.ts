import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareMigrations, readLocalMigrations } from '../../lib/db/migrate';

function migrationsFolder(migrations: Record<string, string>) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-migrations-'));
  for (const [name, sql] of Object.entries(migrations)) {
    mkdirSync(path.join(dir, name));
    writeFileSync(path.join(dir, name, 'migration.sql'), sql);
  }
  writeFileSync(path.join(dir, 'migration_lock.toml'), 'provider = "postgresql"\n');
  return dir;
}

const row = (name: string, checksum: string, finished = true, rolledBack = false) => ({
  migration_name: name,
  checksum,
  finished_at: finished ? new Date() : null,
  rolled_back_at: rolledBack ? new Date() : null,
});

describe('readLocalMigrations', () => {
  it('reads migration folders in name order with a sha256 checksum, ignoring other files', () => {
    const dir = migrationsFolder({ '20260102000000_second': 'SELECT 2;', '20260101000000_first': 'SELECT 1;' });
    const migrations = readLocalMigrations(dir);
    expect(migrations.map((migration) => migration.name)).toEqual(['20260101000000_first', '20260102000000_second']);
    expect(migrations[0]?.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(migrations[0]?.checksum).not.toBe(migrations[1]?.checksum);
  });

  it('finds none in a missing folder', () => {
    expect(readLocalMigrations('/nonexistent/migrations')).toEqual([]);
  });
});

describe('compareMigrations', () => {
  const [first, second] = readLocalMigrations(
    migrationsFolder({ '20260101000000_first': 'SELECT 1;', '20260102000000_second': 'SELECT 2;' }),
  );
  if (!first || !second) throw new Error('fixture');

  it('lists pending migrations', () => {
    const status = compareMigrations([first, second], [row(first.name, first.checksum)]);
    expect(status).toMatchObject({ applied: [first.name], pending: [second.name], failed: [], modified: [] });
  });

  it('treats an unfinished migration as failed and a rolled-back one as pending', () => {
    const status = compareMigrations(
      [first, second],
      [row(first.name, first.checksum, false), row(second.name, second.checksum, false, true)],
    );
    expect(status.failed).toEqual([first.name]);
    expect(status.pending).toEqual([first.name, second.name]);
  });

  it('notices a migration edited after it was applied', () => {
    const status = compareMigrations([first], [row(first.name, 'f'.repeat(64))]);
    expect(status.modified).toEqual([first.name]);
    expect(status.pending).toEqual([]);
  });
});
