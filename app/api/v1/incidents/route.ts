// GET /api/v1/incidents – the incident queue (status, severity, assignee, q, sort, paging); PATCH – one status change over several incidents
import { z } from 'zod';
import { activityActor } from '@/lib/auth/actor';
import { getPool } from '@/lib/db/pool';
import { changeIncidentsStatus } from '@/lib/incidents/change-incident';
import { listIncidents } from '@/lib/incidents/list-incidents';
import { incidentCloseReasons, incidentListQuerySchema, incidentStatuses } from '@/lib/incidents/schemas';
import { route } from '../../_lib/route';

export const dynamic = 'force-dynamic';

const bulkChange = z
  .strictObject({
    ids: z.array(z.uuid()).min(1).max(500),
    status: z.enum(incidentStatuses),
    closeReason: z.enum(incidentCloseReasons).optional(),
    closeMembers: z.boolean().optional(),
  })
  .refine((change) => change.status !== 'closed' || change.closeReason !== undefined, {
    message: 'closing an incident needs a close reason',
    path: ['closeReason'],
  });

export const GET = route({ access: { permission: 'read' }, query: incidentListQuerySchema }, ({ query }) =>
  listIncidents(getPool(), query),
);

export const PATCH = route({ access: { permission: 'triage' }, body: bulkChange }, ({ body, actor }) => {
  const { ids, ...change } = body;
  return changeIncidentsStatus(getPool(), ids, change, activityActor(actor));
});
