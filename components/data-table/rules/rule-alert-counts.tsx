import Link from 'next/link';
import { formatCount } from '@/components/format-number';
import { formatAlertQueueHref } from '@/lib/alerts/schemas';
import type { RuleHealth } from '@/lib/rules/list-rule-health';

/** A rule's open, acknowledged and all alerts, each a link to the queue tab that lists them. */
export function RuleAlertCounts({ ruleId, health }: { ruleId: string; health: RuleHealth }) {
  const href = (status: 'open' | 'acknowledged' | undefined) =>
    formatAlertQueueHref({ filter: { status, rule: [ruleId] } });
  return (
    <span className="nowrap" data-rule-alert-counts={ruleId}>
      <Link href={href('open')} data-count="open">
        {formatCount(health.openAlerts)} open
      </Link>{' '}
      ·{' '}
      <Link href={href('acknowledged')} data-count="acknowledged">
        {formatCount(health.acknowledgedAlerts)} ack&apos;d
      </Link>{' '}
      ·{' '}
      <Link href={href(undefined)} data-count="all">
        {formatCount(health.totalAlerts)} all
      </Link>
    </span>
  );
}
