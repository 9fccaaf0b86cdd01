import type { Metadata } from 'next';
import { connection } from 'next/server';
import { DeliveryTable } from '@/components/notifications/delivery-table';
import { PageHeader } from '@/components/page-header';
import { requirePageActor } from '@/lib/auth/require-actor';
import { roleAllows } from '@/lib/auth/roles';
import { getPool } from '@/lib/db/pool';
import { withTransaction } from '@/lib/db/with-transaction';
import { listDeliveries } from '@/lib/notifications/deliveries';
import { DELIVERY_STATUSES, deliveryFilterSchema } from '@/lib/notifications/schemas';

export const metadata: Metadata = { title: 'Deliveries' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function NotificationsPage({ searchParams }: Props) {
  const actor = await requirePageActor('read');
  await connection();
  const raw = await searchParams;
  const one = (value: string | string[] | undefined) => (typeof value === 'string' && value !== '' ? value : undefined);
  const parsed = deliveryFilterSchema.safeParse({
    alertId: one(raw.alertId),
    destinationId: one(raw.destinationId),
    status: one(raw.status),
  });
  const filter = parsed.success ? parsed.data : deliveryFilterSchema.parse({});
  const deliveries = await withTransaction(getPool(), (client) => listDeliveries(client, filter));
  return (
    <>
      <PageHeader
        title="Deliveries"
        description="Every message Vigil sent or tried to send: destination, alert, event, each attempt's answer and time."
      />
      <section className="panel" aria-label="Filters">
        <form className="inline-form" method="get">
          <label>
            Status
            <select name="status" defaultValue={filter.status ?? ''}>
              <option value="">any</option>
              {DELIVERY_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {status}
                </option>
              ))}
            </select>
          </label>
          <label>
            Alert id
            <input name="alertId" defaultValue={filter.alertId ?? ''} size={38} />
          </label>
          <label>
            Destination id
            <input name="destinationId" defaultValue={filter.destinationId ?? ''} size={38} />
          </label>
          <button type="submit">Filter</button>
        </form>
        {!parsed.success ? <p className="error-text">Those filters are not valid; showing everything.</p> : null}
      </section>
      <section className="panel" aria-label="Delivery log">
        <DeliveryTable deliveries={deliveries} canResend={roleAllows(actor.role, 'admin')} />
      </section>
    </>
  );
}
