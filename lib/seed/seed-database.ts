import type { Db } from '../db/client';
import type pg from 'pg';
import { syncRuleCatalog } from '../rules/sync-rule-catalog';
import { seedDemoData } from './seed-demo-data';

export type SeedResult = {
  rulesCreated: number;
  rulesUpdated: number;
  demo: 'seeded' | 'skipped: database not empty' | 'skipped: disabled';
  demoEvents?: number;
};

/** The rule catalog, and demo data only in an empty database, so a real installation is never polluted. */
export async function seedDatabase(
  db: Db,
  options: { demo: false } | { demo: true; pool: pg.Pool; now: Date; events?: number },
): Promise<SeedResult> {
  const { rulesCreated, rulesUpdated } = await syncRuleCatalog(db);
  if (!options.demo) return { rulesCreated, rulesUpdated, demo: 'skipped: disabled' };
  const isEmpty = (await db.auditEvent.findFirst({ select: { id: true } })) === null;
  if (!isEmpty) return { rulesCreated, rulesUpdated, demo: 'skipped: database not empty' };
  const batches = await seedDemoData(options.pool, { end: options.now, events: options.events });
  return {
    rulesCreated,
    rulesUpdated,
    demo: 'seeded',
    demoEvents: batches.reduce((total, batch) => total + batch.stored, 0),
  };
}
