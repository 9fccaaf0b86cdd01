import { z } from 'zod';
import { alertGroupFields, formatAlertQueueHref, parseAlertSearchParams } from '../alerts/schemas';
import { formatFirstIssue } from '../format-first-issue';
import { NUL_MESSAGE } from '../search-params';

export const SAVED_VIEW_NAME_MAX = 80;
export const SAVED_VIEW_PARAMS_MAX = 4096;

export const savedViewNameSchema = z
  .string()
  .trim()
  .min(1, 'a view needs a name')
  .max(SAVED_VIEW_NAME_MAX, `a view's name has at most ${SAVED_VIEW_NAME_MAX} characters`)
  .refine((name) => !name.includes('\0'), NUL_MESSAGE);

/**
 * The queue's search params ("status=open&severity=high&group=rule", a leading "?" allowed), read by the
 * queue's own parser and kept in its URL form; the page number and expanded groups are not part of a view.
 */
export const savedViewParamsSchema = z
  .string()
  .max(SAVED_VIEW_PARAMS_MAX, `a view's params have at most ${SAVED_VIEW_PARAMS_MAX} characters`)
  .transform((value, context) => {
    const params = new URLSearchParams(value.startsWith('?') ? value.slice(1) : value);
    const query = parseAlertSearchParams(params);
    if (!query.success) {
      context.addIssue({ code: 'custom', message: `not a queue filter: ${formatFirstIssue(query.error)}` });
      return z.NEVER;
    }
    const group = params.get('group') || null;
    if (group !== null && !(alertGroupFields as readonly string[]).includes(group)) {
      context.addIssue({ code: 'custom', message: `group must be one of ${alertGroupFields.join(', ')}` });
      return z.NEVER;
    }
    const href = formatAlertQueueHref(
      { ...query.data, page: 1 },
      { group: group as (typeof alertGroupFields)[number] | null },
    );
    return href.slice('/alerts?'.length);
  });

export const savedViewInputSchema = z.strictObject({
  name: savedViewNameSchema,
  /** Seen by the whole team (read-only for them); else only by its owner. */
  shared: z.boolean().default(false),
  params: savedViewParamsSchema,
});
export type SavedViewInput = z.infer<typeof savedViewInputSchema>;

export const savedViewPatchSchema = z
  .strictObject({
    name: savedViewNameSchema.optional(),
    shared: z.boolean().optional(),
    params: savedViewParamsSchema.optional(),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), {
    message: 'nothing to change: give name, shared or params',
  });
export type SavedViewPatch = z.infer<typeof savedViewPatchSchema>;

export const savedViewListQuerySchema = z.strictObject({
  /** "false" leaves the alert counts out. */
  counts: z.enum(['true', 'false']).default('true'),
});
