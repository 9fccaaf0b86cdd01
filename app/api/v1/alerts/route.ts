// GET /api/v1/alerts – the alert queue: filters, sort and paging as in the /alerts URL
import { listAlerts } from '@/lib/alerts/list-alerts';
import { parseAlertSearchParams } from '@/lib/alerts/schemas';
import { getPool } from '@/lib/db/pool';
import { route } from '../../_lib/route';

export const dynamic = 'force-dynamic';

export const GET = route({ access: { permission: 'read' }, query: parseAlertSearchParams }, ({ query }) =>
  listAlerts(getPool(), query),
);
