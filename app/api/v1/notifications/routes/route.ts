// GET /api/v1/notifications/routes – every routing rule; POST – add one (admin)
import { getPool } from '@/lib/db/pool';
import { withTransaction } from '@/lib/db/with-transaction';
import { createRoute, listRoutes } from '@/lib/notifications/routes';
import { routeInputSchema } from '@/lib/notifications/schemas';
import { route } from '../../../_lib/route';

export const dynamic = 'force-dynamic';

export const GET = route({ access: { permission: 'admin' } }, async () => ({
  routes: await withTransaction(getPool(), (client) => listRoutes(client)),
}));

export const POST = route({ access: { permission: 'admin' }, body: routeInputSchema }, ({ body }) =>
  withTransaction(getPool(), (client) => createRoute(client, body)),
);
