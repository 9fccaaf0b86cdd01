import type { Db } from '../db/client';
import type { Prisma } from '../db/generated/client';
import type pg from 'pg';
import { ruleCatalog } from '../detections/registry';
import { seedDemoData } from './seed-demo-data';

export type SeedResult = {
  rulesCreated: number;
  rulesUpdated: number;
  demo: 'seeded' | 'skipped: database not empty' | 'skipped: disabled';
  demoEvents?: number;
};

/**
 * Makes sure every shipped rule has its row (new rules get their defaults; an
 * admin's tuning of existing rules is kept). Demo data is added only to an empty
 * database, so a real installation is never polluted.
 */
export async function seedDatabase(
  db: Db,
  options: { demo: false } | { demo: true; pool: pg.Pool; now: Date; events?: number },
): Promise<SeedResult> {
  let rulesCreated = 0;
  let rulesUpdated = 0;
  for (const rule of ruleCatalog) {
    const descriptive = {
      name: rule.name,
      description: rule.description,
      severity: rule.severity,
      riskScore: rule.riskScore,
      mitre: rule.mitre as unknown as Prisma.InputJsonValue,
      defaultParameters: rule.defaultParameters,
    };
    const existing = await db.rule.findUnique({ where: { id: rule.id }, select: { id: true } });
    if (existing) {
      await db.rule.update({ where: { id: rule.id }, data: descriptive });
      rulesUpdated++;
    } else {
      await db.rule.create({ data: { id: rule.id, ...descriptive, parameters: rule.defaultParameters } });
      rulesCreated++;
    }
  }
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
