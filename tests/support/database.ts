// Test databases: each run creates its own and drops it, on VIGIL_TEST_DATABASE_URL's
// server when set (CI: the machine's PostgreSQL), else on an embedded test cluster
// kept apart from the app's own data.
import path from 'node:path';
import { startEmbeddedDatabase } from '../../lib/db/embedded';
import {
  createScratchDatabase as createDatabase,
  dropStaleScratchDatabases as dropStale,
  type ScratchDatabase,
} from '../../lib/db/scratch-database';

export type { ScratchDatabase };

export type TestServer = { url: string; stop(): Promise<void> };

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

/** A database of this test run's own; the tier's setup drops it afterwards. */
export function createScratchDatabase(serverUrl: string, label: string): Promise<ScratchDatabase> {
  return createDatabase(serverUrl, PREFIX, label);
}

/** Drops test databases a killed run left behind (older than six hours, so parallel runs are safe). */
export function dropStaleScratchDatabases(serverUrl: string) {
  return dropStale(serverUrl, PREFIX, STALE_AFTER_MS);
}
