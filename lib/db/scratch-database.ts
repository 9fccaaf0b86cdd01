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
): Promise<ScratchDatabase> {
  const name = `${prefix}${label}_${Date.now()}_${randomBytes(3).toString('hex')}`;
  await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
  return databaseAt(serverUrl, name);
}

function databaseAt(serverUrl: string, name: string): ScratchDatabase {
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
