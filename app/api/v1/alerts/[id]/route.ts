// GET /api/v1/alerts/:id – one alert with its history; PATCH – status, close reason, assignee or a note
import { z } from 'zod';
import { changeAlert } from '@/lib/alerts/change-alerts';
import { listAlertActivity, readAlert } from '@/lib/alerts/read-alert';
import { alertChangeSchema } from '@/lib/alerts/schemas';
import { AppError } from '@/lib/app-error';
import { activityActor } from '@/lib/auth/actor';
import { getPool } from '@/lib/db/pool';
import { route } from '../../../_lib/route';

export const dynamic = 'force-dynamic';

const params = z.object({ id: z.uuid() });
const notFound = 'no such alert';

async function readAlertWithHistory(id: string) {
  const pool = getPool();
  const alert = await readAlert(pool, id);
  if (!alert) throw new AppError('not-found', notFound);
  return { ...alert, history: await listAlertActivity(pool, id) };
}

export const GET = route({ access: { permission: 'read' }, params, notFound }, ({ params }) =>
  readAlertWithHistory(params.id),
);

export const PATCH = route(
  { access: { permission: 'triage' }, params, notFound, body: alertChangeSchema },
  async ({ params, body, actor }) => {
    const result = await changeAlert(getPool(), params.id, body, activityActor(actor));
    return { changed: result.changed > 0, alert: await readAlertWithHistory(params.id) };
  },
);
