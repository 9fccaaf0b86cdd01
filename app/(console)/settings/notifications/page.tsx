import type { Metadata } from 'next';
import { connection } from 'next/server';
import { PageHeader } from '@/components/page-header';
import { requirePageActor } from '@/lib/auth/require-actor';
import { getPool } from '@/lib/db/pool';
import { withTransaction } from '@/lib/db/with-transaction';
import { listDestinations } from '@/lib/notifications/destinations';
import { listRoutes } from '@/lib/notifications/routes';
import { NOTIFICATION_EVENTS } from '@/lib/notifications/schemas';
import { SEVERITIES } from '@/lib/vocabulary/severity';
import { NotificationSettings } from './client';

export const metadata: Metadata = { title: 'Notifications' };

export default async function NotificationSettingsPage() {
  await requirePageActor('admin');
  await connection();
  const { destinations, routes } = await withTransaction(getPool(), async (client) => ({
    destinations: await listDestinations(client),
    routes: await listRoutes(client),
  }));
  return (
    <>
      <PageHeader
        title="Notifications"
        description="Where alerts are sent (webhook, Slack, Teams, email, PagerDuty) and which ones. Secrets are stored encrypted and shown masked once saved."
      />
      <NotificationSettings
        destinations={destinations}
        routes={routes}
        events={[...NOTIFICATION_EVENTS]}
        severities={[...SEVERITIES]}
      />
    </>
  );
}
