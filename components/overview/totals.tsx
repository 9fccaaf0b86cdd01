import { formatCount } from '@/components/format-number';
import { Figures } from '@/components/ui/figures';
import type { AlertStatusCounts } from '@/lib/alerts/count-alerts';
import { formatAlertQueueHref } from '@/lib/alerts/schemas';
import type { OverviewCounts } from '@/lib/overview/read-overview-counts';

/** What is stored, at a glance; each alert figure links to the queue tab that lists exactly those alerts. */
export function Totals({ counts, alerts }: { counts: OverviewCounts; alerts: AlertStatusCounts }) {
  const figures = [
    {
      label: 'Open alerts',
      value: formatCount(alerts.open),
      href: formatAlertQueueHref({ filter: { status: 'open' } }),
    },
    {
      label: 'Acknowledged alerts',
      value: formatCount(alerts.acknowledged),
      href: formatAlertQueueHref({ filter: { status: 'acknowledged' } }),
    },
    { label: 'Audit events', value: formatCount(counts.auditEvents) },
    { label: 'Container file events', value: formatCount(counts.fileEvents) },
    { label: 'Ingest batches', value: formatCount(counts.ingestBatches) },
    { label: 'Rules enabled', value: `${counts.rulesEnabled} of ${counts.rulesTotal}` },
  ];
  return <Figures label="Totals" figures={figures} />;
}
