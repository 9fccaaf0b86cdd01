import type { Db } from '../db/client';
import type { Prisma } from '../db/generated/client';
import { ruleCatalog } from '../detections/registry';

/**
 * Makes sure every shipped rule has its row: reference data, written by `vigil migrate` and `seed`.
 * New rules get their defaults; an admin's tuning of existing rules is kept.
 */
export async function syncRuleCatalog(db: Db): Promise<{ rulesCreated: number; rulesUpdated: number }> {
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
  return { rulesCreated, rulesUpdated };
}
