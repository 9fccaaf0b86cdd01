import { z } from 'zod';
import { INGEST_FORMATS } from './types';

export const ingestFormatSchema = z.enum(['auto', ...INGEST_FORMATS], {
  error: `must be one of: auto, ${INGEST_FORMATS.join(', ')}`,
});

/** Cluster names are shown and filtered on: keep them plain. */
export const clusterNameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, 'may hold letters, digits and . _ : / - only');

export const ingestParamsSchema = z.object({
  format: ingestFormatSchema.default('auto'),
  cluster: clusterNameSchema.optional(),
  fileName: z.string().trim().min(1).max(255).optional(),
  batchId: z.uuid({ error: 'must be a UUID' }).optional(),
});

export type IngestParams = z.infer<typeof ingestParamsSchema>;

/** The first problem of a failed parse as "field: message". */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid input';
  return issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
}
