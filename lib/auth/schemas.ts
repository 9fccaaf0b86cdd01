import { z } from 'zod';
import { roles, tokenScopes } from './roles';

export const roleSchema = z.enum(roles, { error: `must be one of: ${roles.join(', ')}` });

export const newUserSchema = z.object({
  email: z
    .email({ error: 'must be an email address' })
    .max(320)
    .transform((email) => email.toLowerCase()),
  name: z.string().trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters'),
  role: roleSchema,
  password: z.string().min(12, 'must be at least 12 characters').max(256, 'must be at most 256 characters'),
});
export type NewUser = z.infer<typeof newUserSchema>;

export const passwordSchema = newUserSchema.shape.password;

export const newApiTokenSchema = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters'),
  scopes: z
    .array(z.enum(tokenScopes, { error: `must be one of: ${tokenScopes.join(', ')}` }))
    .min(1, 'choose at least one scope')
    .transform((scopes) => [...new Set(scopes)].sort()),
  expiresInDays: z.coerce
    .number({ error: 'must be a number of days' })
    .int('must be a whole number of days')
    .min(1, 'must be at least 1 day')
    .max(3650, 'must be at most 3650 days')
    .optional(),
});
export type NewApiToken = z.infer<typeof newApiTokenSchema>;
