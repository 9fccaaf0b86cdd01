// The incident boundary: statuses, what an analyst may change, what the list takes.
import { z } from 'zod';
import { alertStatuses, closeReasons } from '../alerts/schemas';
import { SEVERITIES } from '../vocabulary/severity';

export { SEVERITIES };
export type { Severity } from '../vocabulary/severity';

/** Like an alert's: open → acknowledged → closed (with a reason). */
export const incidentStatuses = alertStatuses;
export type IncidentStatus = (typeof incidentStatuses)[number];
export const incidentCloseReasons = closeReasons;

export const incidentIdSchema = z.uuid({ error: 'not an incident id' });

/** One analyst change; `closeMembers` closes the incident's open alerts with the same reason. */
export const incidentChangeSchema = z
  .strictObject({
    status: z.enum(incidentStatuses).optional(),
    closeReason: z.enum(incidentCloseReasons).optional(),
    closeMembers: z.boolean().optional(),
    /** A user id, or null to unassign. */
    assigneeId: z.uuid().nullable().optional(),
    note: z.string().trim().min(1).max(10_000).optional(),
    /** Another incident whose alerts move into this one; it is closed as a duplicate. */
    mergeFrom: z.uuid().optional(),
    /** An alert taken out of this incident; grouping leaves it out from then on. */
    removeAlertId: z.uuid().optional(),
  })
  .refine((change) => Object.values(change).some((value) => value !== undefined), 'nothing to change')
  .refine((change) => change.status !== 'closed' || change.closeReason !== undefined, {
    message: 'closing an incident needs a close reason',
    path: ['closeReason'],
  })
  .refine((change) => change.closeReason === undefined || change.status === 'closed', {
    message: 'a close reason goes with status closed',
    path: ['closeReason'],
  });
export type IncidentChange = z.infer<typeof incidentChangeSchema>;

export const incidentSortFields = ['lastEventAt', 'firstEventAt', 'severity', 'alertCount', 'status'] as const;

export const incidentListQuerySchema = z.strictObject({
  status: z.enum(incidentStatuses).optional(),
  severity: z.enum(SEVERITIES).optional(),
  assignee: z.union([z.uuid(), z.literal('none')]).optional(),
  q: z.string().trim().min(1).max(200).optional(),
  sort: z.enum(incidentSortFields).default('lastEventAt'),
  dir: z.enum(['asc', 'desc']).default('desc'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(50),
});
export type IncidentListQuery = z.infer<typeof incidentListQuerySchema>;

/** The queue's URL for a query: only what differs from the defaults. */
export function formatIncidentQueueHref(query: Partial<IncidentListQuery>): string {
  const params = new URLSearchParams();
  if (query.status) params.set('status', query.status);
  if (query.severity) params.set('severity', query.severity);
  if (query.assignee) params.set('assignee', query.assignee);
  if (query.q) params.set('q', query.q);
  if (query.sort && query.sort !== 'lastEventAt') params.set('sort', query.sort);
  if (query.dir && query.dir !== 'desc') params.set('dir', query.dir);
  if (query.page && query.page > 1) params.set('page', String(query.page));
  if (query.pageSize && query.pageSize !== 50) params.set('pageSize', String(query.pageSize));
  const text = params.toString();
  return text ? `/incidents?${text}` : '/incidents';
}
