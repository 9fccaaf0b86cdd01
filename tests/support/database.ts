// Test databases: each run creates its own and drops it, on VIGIL_TEST_DATABASE_URL's
// server when set (CI: the machine's PostgreSQL), else on an embedded test cluster
// kept apart from the app's own data.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedDatabase } from '../../lib/db/embedded';

export type TestServer = { url: string; stop(): Promise<void> };
export type ScratchDatabase = { name: string; url: string; drop(): Promise<void> };

const PREFIX = 'vigil_test_';
const STALE_AFTER_MS = 6 * 60 * 60 * 1000;

export async function startTestServer(): Promise<TestServer> {
  const configured = process.env.VIGIL_TEST_DATABASE_URL;
  if (configured) return { url: configured, stop: async () => {} };
  const embedded = await startEmbeddedDatabase({
    dataDir: path.join(import.meta.dirname, '../../.vigil/test'),
    port: Number(process.env.VIGIL_TEST_EMBEDDED_PG_PORT ?? 54339),
  });
  return { url: embedded.url, stop: () => (embedded.reused ? Promise.resolve() : embedded.stop()) };
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createScratchDatabase(serverUrl: string, label: string): Promise<ScratchDatabase> {
  const name = `${PREFIX}${label}_${Date.now()}_${randomBytes(3).toString('hex')}`;
  await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () =>
      withClient(serverUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`),
      ).then(() => {}),
  };
}

/** Drops test databases a killed run left behind (older than six hours, so parallel runs are safe). */
export async function dropStaleScratchDatabases(serverUrl: string) {
  await withClient(serverUrl, async (client) => {
    const result = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `${PREFIX}%`,
    ]);
    for (const { datname } of result.rows) {
      const createdAt = Number(datname.slice(PREFIX.length).split('_').at(-2));
      if (createdAt && Date.now() - createdAt > STALE_AFTER_MS) {
        await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(datname)} WITH (FORCE)`);
      }
    }
  });
}
