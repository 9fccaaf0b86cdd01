import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { diffSchema } from '../../lib/db/schema-diff.ts';

const databaseUrl = inject('databaseUrl');
const schemaPath = fileURLToPath(new URL('../../prisma/schema.prisma', import.meta.url));
const migrationsDir = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));
// Replaying the migrations into a shadow database takes about a second; leave room for a busy CI.
const TIMEOUT = 60_000;

describe('schema drift', () => {
  it(
    'schema.prisma and prisma/migrations agree',
    async () => {
      const sql = await diffSchema({ databaseUrl, schemaPath, migrationsDir });
      expect(sql, 'run `npm run db:diff -- <name>` to write the missing migration').toBe('');
    },
    TIMEOUT,
  );

  it(
    'reports a field that no migration creates',
    async () => {
      const schema = await readFile(schemaPath, 'utf8');
      const probe = schema.replace(/^model Rule \{\n/m, (line) => `${line}  extraDriftProbe String?\n`);
      expect(probe).not.toBe(schema);

      const dir = await mkdtemp(path.join(tmpdir(), 'vigil-drift-'));
      try {
        const probePath = path.join(dir, 'schema.prisma');
        await writeFile(probePath, probe);
        const sql = await diffSchema({ databaseUrl, schemaPath: probePath, migrationsDir });
        expect(sql).toMatch(/ALTER TABLE "rules" ADD COLUMN\s+"extraDriftProbe" TEXT/);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    TIMEOUT,
  );
});
