// `npx vigil …` from a second shell while `npm start` runs: the commands use the embedded server that is
// running (on whatever port it took), say which database they talk to, and a fresh database is told to
// migrate rather than shown an SQL error; after `migrate`, `detect` works (the rule catalog is reference data).
import { chmodSync, mkdtempSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../lib/db/embedded';
import { findFreePort } from '../../lib/net/find-free-port';
import { nativeEvent, ndjson } from '../support/audit-events';
import { createScratchDatabase } from '../support/database';
import { runCli } from '../support/run-cli';

const base = mkdtempSync(path.join(os.tmpdir(), 'vigil-beside-'));
chmodSync(base, 0o755); // as root, PostgreSQL runs as "postgres", which must reach the folder
const dataDir = path.join(base, 'data');
let server: EmbeddedDatabase | undefined;
const scratch = await createScratchDatabase(inject('serverUrl'), 'fresh');
afterAll(async () => {
  await server?.stop();
  await scratch.drop();
});

describe('the CLI beside a running Vigil', () => {
  it('uses the embedded server npm start is running, on its port, and says so', async () => {
    // What `npm start` does: the embedded server, on a port this shell's environment does not name.
    const port = await findFreePort();
    server = await startEmbeddedDatabase({ dataDir, port });
    const env = { VIGIL_DATA_DIR: dataDir, VIGIL_EMBEDDED_PG_PORT: undefined };

    const migrate = await runCli(['migrate'], env);
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(migrate.stderr).toContain(
      `database: embedded PostgreSQL in ${server.clusterDir} (port ${port}, already running)`,
    );

    const file = path.join(base, 'audit.ndjson');
    await writeFile(file, ndjson([nativeEvent(), nativeEvent()]));
    const ingest = await runCli(['ingest', file, '--json'], env);
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(JSON.parse(ingest.stdout)).toMatchObject({ ok: true, batches: [{ stored: 2, status: 'completed' }] });
    const user = await runCli(['user', 'create', '--email', 'second-shell@vigil.test', '--role', 'admin'], env);
    expect(user.code, user.stderr).toBe(0);

    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      expect((await client.query(`SELECT count(*)::int AS n FROM audit_events`)).rows[0].n).toBe(2);
      expect((await client.query(`SELECT email FROM users`)).rows).toEqual([{ email: 'second-shell@vigil.test' }]);
    } finally {
      await client.end();
    }
    // The server `npm start` owns is still running: the CLI left it as found.
    expect(await server.stop().then(() => 'stopped')).toBe('stopped');
    server = undefined;
  }, 180_000);

  it('tells a command on an unmigrated database to run vigil migrate, and detect works right after migrate', async () => {
    const env = { DATABASE_URL: scratch.url };
    for (const args of [['detect'], ['user', 'list'], ['ingest', '/dev/null']]) {
      const result = await runCli(args, env);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr, args.join(' ')).toMatch(/has no Vigil tables yet: run `npx vigil migrate`/);
      expect(result.stderr).not.toMatch(/relation .* does not exist|violates/);
    }
    expect((await runCli(['migrate'], env)).code).toBe(0);
    const detect = await runCli(['detect', '--json'], env);
    expect(detect.code, detect.stderr).toBe(0);
    expect(JSON.parse(detect.stdout)).toMatchObject({ ok: true });
  }, 180_000);
});
