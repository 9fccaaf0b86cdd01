import { ComingNext } from '@/components/coming-next';
import { PageHeader } from '@/components/page-header';
import { requirePageActor } from '@/lib/auth/require-actor';

export const metadata = { title: 'Events' };

export default async function EventsPage() {
  await requirePageActor();
  return (
    <>
      <PageHeader title="Events" description="Search every stored audit event and container file event." />
      <ComingNext
        items={[
          'Search by any normalized field and time range, newest first, with the filters in the URL',
          'The original JSON of each event on demand, and the events around it (same identity, ±5 minutes)',
          'CSV and NDJSON export of whatever the filter selects',
        ]}
      />
    </>
  );
}
