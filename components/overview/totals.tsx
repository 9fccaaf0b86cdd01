import { formatCount } from '@/components/format-number';
import { Figures } from '@/components/ui/figures';
import type { OverviewCounts } from '@/lib/overview/read-overview-counts';

/** What is stored, at a glance. */
export function Totals({ counts }: { counts: OverviewCounts }) {
  const figures = [
    { label: 'Open alerts', value: formatCount(counts.openAlerts) },
    { label: 'Audit events', value: formatCount(counts.auditEvents) },
    { label: 'Container file events', value: formatCount(counts.fileEvents) },
    { label: 'Ingest batches', value: formatCount(counts.ingestBatches) },
    { label: 'Rules enabled', value: `${counts.rulesEnabled} of ${counts.rulesTotal}` },
  ];
  return <Figures label="Totals" figures={figures} />;
}
