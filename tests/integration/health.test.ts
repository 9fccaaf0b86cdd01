import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDb } from '../../lib/db/client';
import { checkHealth } from '../../lib/health/check-health';
import { WORKER_STALE_AFTER_MS } from '../../lib/health/worker-heartbeat';
import { startVigilWorker } from '../../lib/worker/vigil-worker';
import { applyAllMigrations } from '../../scripts/commands/migrate';
import { createScratchDatabase } from '../support/database';

// Heartbeats are global state, so this file works in a database of its own.
const database = await createScratchDatabase(inject('serverUrl'), 'health');
await applyAllMigrations(database.url);
const db = createDb(database.url, 2);
afterAll(async () => {
  await db.$disconnect();
  await database.drop();
});

describe('checkHealth', () => {
  it('is unhealthy without a worker, healthy while one runs, and unhealthy again after it stops', async () => {
    const before = await checkHealth(db);
    expect(before.database.ok).toBe(true);
    expect(before.migrations).toMatchObject({ ok: true, pending: [], failed: [] });
    expect(before.worker.ok).toBe(false);
    expect(before.ok).toBe(false);

    const worker = await startVigilWorker({ db, databaseUrl: database.url, concurrency: 1 });
    const during = await checkHealth(db);
    expect(during.ok).toBe(true);
    expect(during.worker).toMatchObject({ ok: true, workers: 1 });

    await worker.stop();
    expect((await checkHealth(db)).worker.ok).toBe(false);
  });

  it('counts a worker whose heartbeat went stale as dead', async () => {
    await db.workerHeartbeat.create({
      data: {
        id: 'worker-that-was-killed',
        hostname: 'gone',
        pid: 1,
        startedAt: new Date(Date.now() - 3_600_000),
        lastSeenAt: new Date(Date.now() - WORKER_STALE_AFTER_MS - 1000),
      },
    });
    const report = await checkHealth(db);
    expect(report.worker.ok).toBe(false);
    expect(report.worker.ageSeconds).toBeGreaterThanOrEqual(30);
  });

  it('reports pending migrations', async () => {
    const report = await checkHealth(db, `${import.meta.dirname}/../../prisma/migrations-that-do-not-exist`);
    expect(report.migrations.ok).toBe(true); // no local migrations: nothing pending

    const unmigrated = await createScratchDatabase(inject('serverUrl'), 'health_bare');
    const bareDb = createDb(unmigrated.url, 1);
    try {
      const bare = await checkHealth(bareDb);
      expect(bare.database.ok).toBe(true);
      expect(bare.migrations.ok).toBe(false);
      expect(bare.migrations.pending?.length).toBeGreaterThan(0);
      expect(bare.ok).toBe(false);
    } finally {
      await bareDb.$disconnect();
      await unmigrated.drop();
    }
  });

  it('reports an unreachable database instead of throwing', async () => {
    const unreachable = createDb('postgresql://nobody@127.0.0.1:1/nothing', 1);
    try {
      const report = await checkHealth(unreachable);
      expect(report.ok).toBe(false);
      expect(report.database.ok).toBe(false);
      expect(report.database.error).toMatch(/database unreachable/);
    } finally {
      await unreachable.$disconnect();
    }
  });
});
