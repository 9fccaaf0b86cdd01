// GET /api/v1/notifications/routes/:id/preview – which of the last 7 days' alerts this rule would have sent (admin)
import { z } from 'zod';
import { getPool } from '@/lib/db/pool';
import { withTransaction } from '@/lib/db/with-transaction';
import { previewRoute } from '@/lib/notifications/routes';
import { route } from '../../../../../_lib/route';

export const dynamic = 'force-dynamic';

const params = z.object({ id: z.uuid() });

export const GET = route({ access: { permission: 'admin' }, params, notFound: 'no such route' }, ({ params }) =>
  withTransaction(getPool(), (client) => previewRoute(client, params.id)),
);
