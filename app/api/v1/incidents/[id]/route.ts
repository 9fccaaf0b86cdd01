// GET /api/v1/incidents/:id – one incident with its story, entities, secrets, bindings, hints and history; PATCH – status, assignee, note, merge, remove an alert
import { z } from 'zod';
import { AppError } from '@/lib/app-error';
import { activityActor } from '@/lib/auth/actor';
import { getPool } from '@/lib/db/pool';
import { changeIncident } from '@/lib/incidents/change-incident';
import { readIncident } from '@/lib/incidents/read-incident';
import { incidentChangeSchema } from '@/lib/incidents/schemas';
import { route } from '../../../_lib/route';

export const dynamic = 'force-dynamic';

const params = z.object({ id: z.uuid() });
const notFound = 'no such incident';

async function readOrFail(id: string) {
  const incident = await readIncident(getPool(), id);
  if (!incident) throw new AppError('not-found', notFound);
  return incident;
}

export const GET = route({ access: { permission: 'read' }, params, notFound }, ({ params }) => readOrFail(params.id));

export const PATCH = route(
  { access: { permission: 'triage' }, params, notFound, body: incidentChangeSchema },
  async ({ params, body, actor }) => {
    const result = await changeIncident(getPool(), params.id, body, activityActor(actor));
    return { ...result, incident: await readOrFail(params.id) };
  },
);
