import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDb } from '../../lib/db/client';
import { ruleCatalog } from '../../lib/detections/registry';
import { seedDatabase } from '../../lib/seed/seed-database';
import { applyAllMigrations } from '../../scripts/commands/migrate';
import { createScratchDatabase } from '../support/database';

const database = await createScratchDatabase(inject('serverUrl'), 'seed');
await applyAllMigrations(database.url);
const db = createDb(database.url, 2);
afterAll(async () => {
  await db.$disconnect();
  await database.drop();
});

describe('seedDatabase', () => {
  it('creates every shipped rule with its defaults, and is idempotent', async () => {
    const first = await seedDatabase(db, { demo: true });
    expect(first.rulesCreated).toBe(ruleCatalog.length);
    const second = await seedDatabase(db, { demo: true });
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
});
