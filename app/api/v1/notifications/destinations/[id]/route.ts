// PATCH /api/v1/notifications/destinations/:id – rename, enable or disable, change fields (secrets left out
// stay); DELETE – remove it with its routes and log (admin)
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { getPool } from '@/lib/db/pool';
import { withTransaction } from '@/lib/db/with-transaction';
import { changeDestination, deleteDestination } from '@/lib/notifications/destinations';
import { allowPrivateDestinations, notificationSecretKey } from '@/lib/notifications/notify-settings';
import { destinationChangeSchema } from '@/lib/notifications/schemas';
import { route } from '../../../../_lib/route';

export const dynamic = 'force-dynamic';

const params = z.object({ id: z.uuid() });
const notFound = 'no such destination';

export const PATCH = route(
  { access: { permission: 'admin' }, params, notFound, body: destinationChangeSchema },
  ({ params, body }) =>
    withTransaction(getPool(), (client) =>
      changeDestination(client, params.id, body, {
        key: notificationSecretKey(),
        allowPrivate: allowPrivateDestinations(),
      }),
    ),
);

export const DELETE = route({ access: { permission: 'admin' }, params, notFound }, async ({ params }) => {
  await withTransaction(getPool(), (client) => deleteDestination(client, params.id));
  return new NextResponse(null, { status: 204 });
});
