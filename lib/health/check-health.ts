import type { Db } from '../db/client';
import { compareMigrations, DEFAULT_MIGRATIONS_DIR, readLocalMigrations } from '../db/migrate';
import { readWorkerLiveness, type WorkerLiveness } from './worker-heartbeat';

export type HealthReport = {
  ok: boolean;
  database: { ok: boolean; latencyMs?: number; error?: string };
  migrations: { ok: boolean; applied?: number; pending?: string[]; failed?: string[]; error?: string };
  worker: { ok: boolean; error?: string } & Partial<WorkerLiveness>;
};

type MigrationRow = { migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null };

/** Database reachable, every migration applied, a worker heartbeat in the last 30 s. */
export async function checkHealth(db: Db, migrationsDir = DEFAULT_MIGRATIONS_DIR): Promise<HealthReport> {
  const started = performance.now();
  try {
    await db.$queryRaw`SELECT 1`;
  } catch (error) {
    const reason = `database unreachable: ${errorMessage(error)}`;
    return {
      ok: false,
      database: { ok: false, error: reason },
      migrations: { ok: false, error: reason },
      worker: { ok: false, error: reason },
    };
  }
  const database = { ok: true, latencyMs: Math.round(performance.now() - started) };
  const migrations = await checkMigrations(db, migrationsDir);
  const worker = migrations.ok ? await checkWorker(db) : { ok: false, error: 'migrations not applied' };
  return { ok: migrations.ok && worker.ok, database, migrations, worker };
}

async function checkMigrations(db: Db, migrationsDir: string): Promise<HealthReport['migrations']> {
  const [{ present } = { present: false }] = await db.$queryRaw<{ present: boolean }[]>`
    SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS present`;
  const rows = present
    ? await db.$queryRaw<MigrationRow[]>`
        SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`
    : [];
  const status = compareMigrations(readLocalMigrations(migrationsDir), rows);
  const ok = status.pending.length === 0 && status.failed.length === 0;
  return {
    ok,
    applied: status.applied.length,
    pending: status.pending,
    failed: status.failed,
    ...(ok
      ? {}
      : { error: status.failed.length > 0 ? 'a migration failed' : 'migrations pending: run `npx vigil migrate`' }),
  };
}

async function checkWorker(db: Db): Promise<HealthReport['worker']> {
  const liveness = await readWorkerLiveness(db);
  return liveness.alive
    ? { ok: true, ...liveness }
    : { ok: false, ...liveness, error: 'no worker heartbeat in the last 30 s: start it with `npm run start:worker`' };
}

function errorMessage(error: unknown) {
  return error instanceof Error ? (error.message.split('\n').filter(Boolean).at(-1) ?? error.message) : String(error);
}
