'use client';

import Link from 'next/link';
import { formatCount } from '@/components/format-number';
import { formatAlertQueueHref } from '@/lib/alerts/schemas';
import { formatDuration } from '@/lib/overview/format-duration';
import type { Percentiles, RuleTriage } from '@/lib/overview/read-overview';
import { DataTable, type Columns } from '../data-table';
import { NoValue } from '@/components/ui/no-value';

function PercentileCell({ value }: { value: Percentiles }) {
  if (value.count === 0) return <NoValue />;
  return (
    <>
      {formatDuration(value.medianSeconds)} · {formatDuration(value.p90Seconds)}{' '}
      <span className="muted small">(n = {value.count})</span>
    </>
  );
}

const nowrap = { cellClassName: 'nowrap' };

const columns: Columns<RuleTriage> = [
  {
    id: 'rule',
    header: 'Rule',
    cell: ({ row }) => (
      <>
        <Link href={formatAlertQueueHref({ filter: { rule: [row.original.ruleId] } })}>{row.original.ruleName}</Link>
        {row.original.enabled ? null : <span className="muted small"> · disabled</span>}
      </>
    ),
  },
  {
    id: 'alerts',
    header: 'Alerts',
    meta: { className: 'overview-number' },
    cell: ({ row }) => formatCount(row.original.alerts),
  },
  {
    id: 'timeToAcknowledge',
    header: 'Time to acknowledge (median · p90)',
    meta: nowrap,
    cell: ({ row }) => <PercentileCell value={row.original.timeToAcknowledge} />,
  },
  {
    id: 'timeToClose',
    header: 'Time to close (median · p90)',
    meta: nowrap,
    cell: ({ row }) => <PercentileCell value={row.original.timeToClose} />,
  },
  {
    id: 'falsePositiveRate',
    header: 'False-positive rate',
    meta: nowrap,
    cell: ({ row }) =>
      row.original.falsePositiveRate === null ? (
        <span className="muted">none closed</span>
      ) : (
        <>
          {Math.round(row.original.falsePositiveRate * 100)}%{' '}
          <span className="muted small">
            ({row.original.falsePositives} of {row.original.closed} closed)
          </span>
        </>
      ),
  },
];

/** Per rule: how fast its alerts are acknowledged and closed, and how often they were false positives. */
export function TriageTable({ rows }: { rows: RuleTriage[] }) {
  return <DataTable columns={columns} rows={rows} getRowId={(row) => row.ruleId} label="Triage by rule" />;
}
