import { isIP } from 'node:net';
import { z } from 'zod';
import type { AuditEventField } from '../events/audit-event-columns';

/** The audit-event fields an allowlist condition may test (fields of the stored audit event). */
export const allowlistFields = [
  'username',
  'sourceIp',
  'sourceIps',
  'userAgent',
  'namespace',
  'name',
  'podName',
  'nodeName',
  'groups',
  'verb',
  'resource',
  'cluster',
] as const satisfies readonly AuditEventField[];
export type AllowlistField = (typeof allowlistFields)[number];
export const allowlistOperators = ['exact', 'oneOf', 'prefix', 'glob', 'cidr'] as const;
export type AllowlistOperator = (typeof allowlistOperators)[number];

/** One field matcher of an allowlist entry; an entry's conditions are joined by AND. */
export type AllowlistCondition = {
  field: AllowlistField;
  op: AllowlistOperator;
  value: string | string[];
};
export const ipFields: readonly AllowlistField[] = ['sourceIp', 'sourceIps'];

const conditionValue = z.string().min(1).max(1024);

function isCidr(value: string) {
  const [address = '', bits, extra] = value.split('/');
  const family = isIP(address);
  // node:net takes an IPv6 zone (fe80::1%eth0); PostgreSQL's inet, which the impact preview casts to, does not.
  if (family === 0 || extra !== undefined || address.includes('%')) return false;
  if (bits === undefined) return true;
  const max = family === 4 ? 32 : 128;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= max;
}

export const allowlistConditionSchema = z
  .strictObject({
    field: z.enum(allowlistFields),
    op: z.enum(allowlistOperators),
    value: z.union([conditionValue, z.array(conditionValue).min(1).max(200)]),
  })
  .superRefine((condition, context) => {
    const values = Array.isArray(condition.value) ? condition.value : [condition.value];
    if (condition.op === 'cidr') {
      if (!ipFields.includes(condition.field))
        context.addIssue({ code: 'custom', message: `cidr only applies to ${ipFields.join(' and ')}` });
      const bad = values.find((value) => !isCidr(value));
      if (bad !== undefined) context.addIssue({ code: 'custom', message: `"${bad}" is not an IP address or CIDR` });
    }
    if (condition.op === 'glob' && values.some((value) => /^[*?]*$/.test(value)))
      context.addIssue({ code: 'custom', message: 'a glob of only wildcards would match everything' });
  });

const reason = z.string().trim().min(1, 'give a reason').max(2000);
const expiresAt = z.iso.datetime({ offset: true }).nullable();

export const allowlistEntryInputSchema = z.strictObject({
  /** null: every rule. */
  ruleId: z.string().min(1).max(100).nullable(),
  conditions: z.array(allowlistConditionSchema).min(1, 'give at least one condition').max(12),
  reason,
  expiresAt: expiresAt.optional(),
  enabled: z.boolean().optional(),
  /** The alert closed as a false positive that this entry came from. */
  sourceAlertId: z.uuid().optional(),
});
export type AllowlistEntryInput = z.infer<typeof allowlistEntryInputSchema>;

export const allowlistEntryPatchSchema = z
  .strictObject({
    ruleId: z.string().min(1).max(100).nullable().optional(),
    conditions: allowlistEntryInputSchema.shape.conditions.optional(),
    reason: reason.optional(),
    expiresAt: expiresAt.optional(),
    enabled: z.boolean().optional(),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), { message: 'nothing to change' });
export type AllowlistEntryPatch = z.infer<typeof allowlistEntryPatchSchema>;

/** What the impact preview takes: the entry's scope and conditions. */
export const allowlistPreviewSchema = allowlistEntryInputSchema.pick({
  ruleId: true,
  conditions: true,
  sourceAlertId: true,
});
export type AllowlistPreviewInput = z.infer<typeof allowlistPreviewSchema>;
