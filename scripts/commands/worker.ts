import { createDb } from '../../lib/db/client';
import { resolveDatabaseUrl } from '../../lib/db/database-url';
import { getEnv } from '../../lib/env';
import { startVigilWorker } from '../../lib/worker/vigil-worker';

/** Runs the background worker in this process until SIGINT or SIGTERM. */
export async function workerCommand() {
  const env = getEnv();
  const databaseUrl = resolveDatabaseUrl(env);
  const db = createDb(databaseUrl, 4);
  const worker = await startVigilWorker({
    db,
    databaseUrl,
    concurrency: env.WORKER_CONCURRENCY,
    log: (message) => console.log(`[worker] ${message}`),
  });
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  console.log('[worker] stopping…');
  await worker.stop();
  await db.$disconnect();
}
