import { ComingNext } from '@/components/coming-next';
import { PageHeader } from '@/components/page-header';
import { requirePageActor } from '@/lib/auth/require-actor';

export const metadata = { title: 'Allowlist' };

export default async function AllowlistPage() {
  await requirePageActor();
  return (
    <>
      <PageHeader title="Allowlist" description="Known-good activity that no detection counts toward an alert." />
      <ComingNext
        items={[
          'Entries with their conditions (exact, prefix, CIDR, glob, one of), scope, reason, author and source alert',
          'Hit count, last hit and expiry of each entry',
          'Edit, disable and delete, and the impact preview when an alert is closed as a false positive',
        ]}
      />
    </>
  );
}
