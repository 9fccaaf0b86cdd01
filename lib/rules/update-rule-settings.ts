import type { Db } from '../db/client';
import { Prisma } from '../db/generated/client';
import { getRuleDefinition } from '../detections/registry';
import { AppError } from '../app-error';

export type RuleSettingsChange = { enabled?: boolean; parameters?: Record<string, unknown> };
export type Actor = { id: string | null; name: string };

/**
 * Switches a rule on or off and tunes its parameters (validated by the rule's own
 * schema); every changed value is recorded with who, when, from and to, in the same transaction.
 */
export async function updateRuleSettings(db: Db, ruleId: string, change: RuleSettingsChange, actor: Actor) {
  const definition = getRuleDefinition(ruleId);
  if (!definition) throw new AppError('not-found', `no rule "${ruleId}"`);
  return db.$transaction(async (tx) => {
    const current = await tx.rule.findUnique({ where: { id: ruleId } });
    if (!current)
      throw new AppError('not-found', `rule "${ruleId}" is not in the database yet: run \`npx vigil seed\``);
    // A parameter added by a later version of the rule reads as its default until tuned.
    const before = { ...definition.defaultParameters, ...(current.parameters as Record<string, number>) };
    let parameters = before;
    if (change.parameters) {
      const parsed = definition.parametersSchema.safeParse({ ...before, ...change.parameters });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new AppError('invalid', `${issue?.path.join('.') || 'parameters'}: ${issue?.message ?? 'invalid'}`);
      }
      parameters = parsed.data;
    }
    const records: Prisma.RuleChangeCreateManyInput[] = [];
    if (change.enabled !== undefined && change.enabled !== current.enabled) {
      records.push({
        ruleId,
        actorId: actor.id,
        actorName: actor.name,
        field: 'enabled',
        fromValue: current.enabled,
        toValue: change.enabled,
      });
    }
    for (const [name, value] of Object.entries(parameters)) {
      if (before[name] !== value) {
        records.push({
          ruleId,
          actorId: actor.id,
          actorName: actor.name,
          field: `parameters.${name}`,
          fromValue: before[name] ?? Prisma.DbNull,
          toValue: value,
        });
      }
    }
    if (records.length === 0) return { rule: current, changes: 0 };
    await tx.ruleChange.createMany({ data: records });
    const rule = await tx.rule.update({
      where: { id: ruleId },
      data: { enabled: change.enabled ?? current.enabled, parameters, version: { increment: 1 } },
    });
    return { rule, changes: records.length };
  });
}

export async function listRuleChanges(db: Db, ruleId: string, limit = 20) {
  return db.ruleChange.findMany({ where: { ruleId }, orderBy: { createdAt: 'desc' }, take: limit });
}
