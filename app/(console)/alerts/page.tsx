import { ComingNext } from '@/components/coming-next';
import { PageHeader } from '@/components/page-header';
import { requirePageActor } from '@/lib/auth/require-actor';

export const metadata = { title: 'Alerts' };

export default async function AlertsPage() {
  await requirePageActor();
  return (
    <>
      <PageHeader title="Alerts" description="The triage queue for every alert the detections raise." />
      <ComingNext
        items={[
          'A paged, sortable table filtered by status, severity, rule, time, user, source IP, pod, namespace and assignee, with the filters in the URL',
          'Tabs with counts per status, and grouping by rule, user, source IP or pod',
          'Bulk status, close reason, assignee and notes for selected rows or everything matching the filter',
        ]}
      />
    </>
  );
}
