// POST /api/v1/alerts/bulk – one triage change for many alerts, chosen by ids or by a queue filter;
// more than 25 need `confirm: true` (409 without, naming the count)
import { changeAlerts } from '@/lib/alerts/change-alerts';
import { bulkAlertChangeSchema } from '@/lib/alerts/schemas';
import { activityActor } from '@/lib/auth/actor';
import { getPool } from '@/lib/db/pool';
import { route } from '../../../_lib/route';

export const dynamic = 'force-dynamic';

export const POST = route({ access: { permission: 'triage' }, body: bulkAlertChangeSchema }, ({ body, actor }) => {
  const target = body.ids ? { ids: body.ids } : { filter: body.filter! };
  return changeAlerts(getPool(), target, body.change, activityActor(actor), { confirmed: body.confirm === true });
});
