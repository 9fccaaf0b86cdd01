// Throw-away databases on a server, for test runs and benchmarks: never the app's own data.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export type ScratchDatabase = { name: string; url: string; drop(): Promise<void> };

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates `<prefix><label>_<epoch ms>_<random>`; the time in the name lets leftovers be found by age. */
export async function createScratchDatabase(
  serverUrl: string,
  prefix: string,
  label: string,
  /** A database to copy (no one may be connected to it). */
  template?: string,
): Promise<ScratchDatabase> {
  const name = `${prefix}${label}_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const from = template === undefined ? '' : ` TEMPLATE ${pg.escapeIdentifier(template)}`;
  await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}${from}`));
  return databaseAt(serverUrl, name);
}

function databaseAt(serverUrl: string, name: string): ScratchDatabase {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () =>
      withClient(serverUrl, async (client) => {
        await waitForConnectionsToClose(client, name);
        await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      }),
  };
}

// A pool's end() resolves before its sockets close: terminating a backend that is still saying
// goodbye sends its client a FATAL no one listens for, which crashes the process that owned it.
async function waitForConnectionsToClose(client: pg.Client, name: string, timeoutMs = 3000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await client.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
    if (open.rows[0]!.n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The database `name` on the server, created when missing; for data kept between runs (a benchmark's dataset). */
export async function openKeptDatabase(serverUrl: string, name: string): Promise<ScratchDatabase> {
  await withClient(serverUrl, async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  });
  return databaseAt(serverUrl, name);
}

/** Drops databases with the prefix that are older than `maxAgeMs` (a killed run's leftovers). */
export async function dropStaleScratchDatabases(serverUrl: string, prefix: string, maxAgeMs: number) {
  await withClient(serverUrl, async (client) => {
    const result = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `${prefix}%`,
    ]);
    for (const { datname } of result.rows) {
      const createdAt = Number(datname.slice(prefix.length).split('_').at(-2));
      if (createdAt && Date.now() - createdAt > maxAgeMs) {
        await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(datname)} WITH (FORCE)`);
      }
    }
  });
}
