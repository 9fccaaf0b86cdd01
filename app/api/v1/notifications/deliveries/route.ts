// GET /api/v1/notifications/deliveries – the delivery log with every attempt; ?alertId= &destinationId= &status= &limit=
import { getPool } from '@/lib/db/pool';
import { withTransaction } from '@/lib/db/with-transaction';
import { listDeliveries } from '@/lib/notifications/deliveries';
import { deliveryFilterSchema } from '@/lib/notifications/schemas';
import { route } from '../../../_lib/route';

export const dynamic = 'force-dynamic';

export const GET = route({ access: { permission: 'read' }, query: deliveryFilterSchema }, async ({ query }) => ({
  deliveries: await withTransaction(getPool(), (client) => listDeliveries(client, query)),
}));
