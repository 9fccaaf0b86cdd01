import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/app-error';
import { embeddedDatabaseUrl, redactDatabaseUrl, resolveDatabaseUrl } from '../../lib/db/database-url';

describe('resolveDatabaseUrl', () => {
  it('prefers DATABASE_URL', () => {
    const url = resolveDatabaseUrl({
      DATABASE_URL: 'postgresql://a@b/c',
      dataDir: '/nonexistent',
      VIGIL_EMBEDDED_PG_PORT: 1,
    });
    expect(url).toBe('postgresql://a@b/c');
  });

  it('falls back to the embedded database credentials in the data folder', () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vigil-url-'));
    writeFileSync(path.join(dataDir, 'postgres.json'), JSON.stringify({ user: 'postgres', password: 'p@ss/word' }));
    expect(resolveDatabaseUrl({ DATABASE_URL: undefined, dataDir, VIGIL_EMBEDDED_PG_PORT: 54329 })).toBe(
      'postgresql://postgres:p%40ss%2Fword@127.0.0.1:54329/vigil',
    );
  });

  it('says how to get a database when there is none', () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vigil-url-'));
    expect(() => resolveDatabaseUrl({ DATABASE_URL: undefined, dataDir, VIGIL_EMBEDDED_PG_PORT: 54329 })).toThrow(
      AppError,
    );
    expect(() => resolveDatabaseUrl({ DATABASE_URL: undefined, dataDir, VIGIL_EMBEDDED_PG_PORT: 54329 })).toThrow(
      /No database configured/,
    );
  });
});

describe('redactDatabaseUrl', () => {
  it('hides the password and keeps the rest', () => {
    const url = embeddedDatabaseUrl({ user: 'postgres', password: 'secret' }, 5432);
    expect(redactDatabaseUrl(url)).toBe('postgresql://postgres:***@127.0.0.1:5432/vigil');
    expect(redactDatabaseUrl(url)).not.toContain('secret');
  });
});
