import { ComingNext } from '@/components/coming-next';
import { PageHeader } from '@/components/page-header';

export const metadata = { title: 'Jobs' };

export default function JobsPage() {
  return (
    <>
      <PageHeader title="Jobs" description="The background detection work." />
      <ComingNext
        items={[
          'Queued, running and failed jobs, with the error of each failure',
          'Per rule: last run, duration, events scanned, alerts created and updated',
        ]}
      />
    </>
  );
}
