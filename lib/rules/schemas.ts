import { z } from 'zod';
import { filterTime, REVERSED_RANGE_MESSAGE } from '../search-params';

export const ruleSettingsSchema = z
  .object({
    enabled: z.boolean({ error: 'must be true or false' }).optional(),
    parameters: z.record(z.string(), z.number({ error: 'must be a number' })).optional(),
  })
  .strict();

/** The longest range a rule preview reads: it evaluates in memory, as one detection slice does. */
export const PREVIEW_MAX_DAYS = 31;

export const previewRangeSchema = z
  .object({
    from: filterTime(),
    to: filterTime(),
  })
  .refine((range) => Date.parse(range.from) < Date.parse(range.to), { error: REVERSED_RANGE_MESSAGE, path: ['from'] })
  .refine((range) => Date.parse(range.to) - Date.parse(range.from) <= PREVIEW_MAX_DAYS * 86_400_000, {
    error: `a preview covers at most ${PREVIEW_MAX_DAYS} days`,
    path: ['to'],
  });
