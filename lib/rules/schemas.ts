import { z } from 'zod';

export const ruleSettingsSchema = z
  .object({
    enabled: z.boolean({ error: 'must be true or false' }).optional(),
    parameters: z.record(z.string(), z.number({ error: 'must be a number' })).optional(),
  })
  .strict();

export const previewRangeSchema = z
  .object({
    from: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time' }),
    to: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time' }),
  })
  .refine((range) => Date.parse(range.from) < Date.parse(range.to), { error: 'from must be before to', path: ['to'] })
  .refine((range) => Date.parse(range.to) - Date.parse(range.from) <= 31 * 24 * 3_600_000, {
    error: 'a preview covers at most 31 days',
    path: ['to'],
  });
