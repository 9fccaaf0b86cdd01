import { z } from 'zod';
import { filterText } from '../search-params';

/** A retention period for every cluster ("*") or one; null removes it (the cluster then follows "*"). */
export const retentionChangeSchema = z.strictObject({
  scope: z.union([z.literal('*'), filterText(253)]),
  days: z.number().int().min(1).max(36_500).nullable(),
  confirm: z.boolean().optional(),
});
export type RetentionChange = z.infer<typeof retentionChangeSchema>;
