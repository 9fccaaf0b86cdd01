import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDb } from '../../lib/db/client';
import { ruleCatalog } from '../../lib/detections/registry';
import { seedDatabase } from '../../lib/seed/seed-database';
import { applyAllMigrations } from '../../scripts/commands/migrate';
import { createScratchDatabase } from '../support/database';

const database = await createScratchDatabase(inject('serverUrl'), 'seed');
await applyAllMigrations(database.url);
const db = createDb(database.url, 2);
const pool = new pg.Pool({ connectionString: database.url, max: 2 });
afterAll(async () => {
  await db.$disconnect();
  await pool.end();
  await database.drop();
});

describe('seedDatabase', () => {
  it('creates every shipped rule with its defaults, and is idempotent', async () => {
    // migrate wrote the catalog already; seed must also write it where it is missing.
    expect(await db.rule.count()).toBe(ruleCatalog.length);
    await pool.query(`DELETE FROM rules`);
    const first = await seedDatabase(db, { demo: false });
    expect(first.rulesCreated).toBe(ruleCatalog.length);
    const second = await seedDatabase(db, { demo: false });
    expect(second).toMatchObject({ rulesCreated: 0, rulesUpdated: ruleCatalog.length });
    const rules = await db.rule.findMany();
    expect(rules.map((rule) => rule.id).sort()).toEqual(ruleCatalog.map((rule) => rule.id).sort());
    for (const rule of rules) {
      const shipped = ruleCatalog.find((candidate) => candidate.id === rule.id);
      expect(rule.parameters).toEqual(shipped?.defaultParameters);
      expect(rule.enabled).toBe(true);
    }
  });

  it("keeps an admin's tuning when it runs again", async () => {
    const [rule] = ruleCatalog;
    if (!rule) throw new Error('empty catalog');
    await seedDatabase(db, { demo: false });
    await db.rule.update({ where: { id: rule.id }, data: { enabled: false, parameters: { tuned: 1 } } });
    await seedDatabase(db, { demo: false });
    const after = await db.rule.findUniqueOrThrow({ where: { id: rule.id } });
    expect(after.enabled).toBe(false);
    expect(after.parameters).toEqual({ tuned: 1 });
  });

  it('fills an empty database with the demo cluster once, and never touches one that holds data', async () => {
    const seeded = await seedDatabase(db, { demo: true, pool, now: new Date(), events: 3000 });
    expect(seeded.demo).toBe('seeded');
    expect(seeded.demoEvents).toBeGreaterThanOrEqual(3000);
    const batches = await db.ingestBatch.findMany({ where: { source: 'demo' } });
    expect(batches.map((batch) => [batch.format, batch.status])).toEqual(
      expect.arrayContaining([
        ['k8s-audit', 'completed'],
        ['file-events', 'completed'],
      ]),
    );
    expect(await db.fileEvent.count()).toBeGreaterThan(0);
    // The demo ends now, so the dashboard looks alive.
    const newest = await db.auditEvent.findFirstOrThrow({ orderBy: { time: 'desc' } });
    expect(Date.now() - newest.time.getTime()).toBeLessThan(60 * 60_000);

    const again = await seedDatabase(db, { demo: true, pool, now: new Date(), events: 3000 });
    expect(again.demo).toBe('skipped: database not empty');
    expect(await db.ingestBatch.count({ where: { source: 'demo' } })).toBe(batches.length);
  });
});
