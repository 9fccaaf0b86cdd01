// POST /api/v1/notifications/deliveries/:id/resend – send a delivery's message again, as a new delivery (admin)
import { z } from 'zod';
import { getPool } from '@/lib/db/pool';
import { withTransaction } from '@/lib/db/with-transaction';
import { resendDelivery } from '@/lib/notifications/deliveries';
import { route } from '../../../../../_lib/route';

export const dynamic = 'force-dynamic';

const params = z.object({ id: z.uuid() });

export const POST = route({ access: { permission: 'admin' }, params, notFound: 'no such delivery' }, ({ params }) =>
  withTransaction(getPool(), (client) => resendDelivery(client, params.id)),
);
