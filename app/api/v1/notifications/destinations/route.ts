// GET /api/v1/notifications/destinations – every destination, secrets masked; POST – add one (admin)
import { actorName } from '@/lib/auth/actor';
import { getPool } from '@/lib/db/pool';
import { withTransaction } from '@/lib/db/with-transaction';
import { createDestination, listDestinations } from '@/lib/notifications/destinations';
import { allowPrivateDestinations, notificationSecretKey } from '@/lib/notifications/notify-settings';
import { destinationInputSchema } from '@/lib/notifications/schemas';
import { route } from '../../../_lib/route';

export const dynamic = 'force-dynamic';

export const GET = route({ access: { permission: 'admin' } }, async () => ({
  destinations: await withTransaction(getPool(), (client) => listDestinations(client)),
}));

export const POST = route({ access: { permission: 'admin' }, body: destinationInputSchema }, ({ body, actor }) =>
  withTransaction(getPool(), (client) =>
    createDestination(client, body, {
      key: notificationSecretKey(),
      allowPrivate: allowPrivateDestinations(),
      actorName: actorName(actor),
    }),
  ),
);
