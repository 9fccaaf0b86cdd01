// PATCH /api/v1/notifications/routes/:id – change, enable or disable a routing rule; DELETE – remove it (admin)
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { getPool } from '@/lib/db/pool';
import { withTransaction } from '@/lib/db/with-transaction';
import { changeRoute, deleteRoute } from '@/lib/notifications/routes';
import { routeChangeSchema } from '@/lib/notifications/schemas';
import { route } from '../../../../_lib/route';

export const dynamic = 'force-dynamic';

const params = z.object({ id: z.uuid() });
const notFound = 'no such route';

export const PATCH = route(
  { access: { permission: 'admin' }, params, notFound, body: routeChangeSchema },
  ({ params, body }) => withTransaction(getPool(), (client) => changeRoute(client, params.id, body)),
);

export const DELETE = route({ access: { permission: 'admin' }, params, notFound }, async ({ params }) => {
  await withTransaction(getPool(), (client) => deleteRoute(client, params.id));
  return new NextResponse(null, { status: 204 });
});
