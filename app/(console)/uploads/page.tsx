import { ComingNext } from '@/components/coming-next';
import { PageHeader } from '@/components/page-header';

export const metadata = { title: 'Uploads' };

export default function UploadsPage() {
  return (
    <>
      <PageHeader title="Uploads" description="Bring audit log exports into Vigil." />
      <ComingNext
        items={[
          'Drag-and-drop of several files (native audit.k8s.io, EKS CloudWatch, GKE Cloud Audit Logs, AKS diagnostics, Elastic exports, container file events; gzip too)',
          'Progress for bytes sent and events processed',
          'Per file: format found, events stored, duplicates, rejected and skipped, with the first rejected lines and why',
          'The list of past batches with the same figures',
        ]}
      />
    </>
  );
}
