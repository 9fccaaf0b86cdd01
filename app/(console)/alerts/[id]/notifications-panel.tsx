import { DeliveryTable } from '@/components/notifications/delivery-table';
import type { DeliveryView } from '@/lib/notifications/deliveries';

/** The notifications this alert caused (its own and the digests that listed it). */
export function NotificationsPanel({ deliveries, canResend }: { deliveries: DeliveryView[]; canResend: boolean }) {
  return (
    <section className="panel" aria-label="Notifications">
      <h2>Notifications</h2>
      <DeliveryTable deliveries={deliveries} canResend={canResend} />
    </section>
  );
}
