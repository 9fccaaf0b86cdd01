'use client';

import Link from 'next/link';
import { useMemo } from 'react';
import { SeverityBadge } from '@/components/alerts/labels';
import { formatCount } from '@/components/format-number';
import { formatAlertQueueHref } from '@/lib/alerts/schemas';
import type { OpenAlertsByRule } from '@/lib/overview/read-overview';
import { DataTable, type Columns } from '../data-table';

type Range = { from: string; to: string };

const number = { className: 'overview-number' };

function columns(range: Range, most: number): Columns<OpenAlertsByRule> {
  const queue = (row: OpenAlertsByRule, status: 'open' | 'acknowledged') =>
    formatAlertQueueHref({ filter: { ...range, status, rule: [row.ruleId] } });
  return [
    {
      id: 'rule',
      header: 'Rule',
      cell: ({ row }) => (
        <>
          <SeverityBadge severity={row.original.severity} /> {row.original.ruleName}
        </>
      ),
    },
    {
      id: 'open',
      header: 'Open',
      meta: number,
      cell: ({ row }) => <Link href={queue(row.original, 'open')}>{formatCount(row.original.open)}</Link>,
    },
    {
      id: 'acknowledged',
      header: "Ack'd",
      meta: number,
      cell: ({ row }) => (
        <Link href={queue(row.original, 'acknowledged')}>{formatCount(row.original.acknowledged)}</Link>
      ),
    },
    {
      id: 'share',
      header: () => <span className="visually-hidden">Share</span>,
      meta: { className: 'overview-bar-col', cellAttributes: { 'aria-hidden': true } },
      cell: ({ row }) => (
        <span className="overview-bar">
          <span className="overview-bar-open" style={{ width: `${(row.original.open / most) * 100}%` }} />
          <span className="overview-bar-ack" style={{ width: `${(row.original.acknowledged / most) * 100}%` }} />
        </span>
      ),
    },
  ];
}

/** Open and acknowledged alerts per rule, each count a link to them in the queue, with a bar to compare. */
export function OpenByRuleTable({ rows, range }: { rows: OpenAlertsByRule[]; range: Range }) {
  const most = Math.max(...rows.map((row) => row.open + row.acknowledged));
  const defined = useMemo(() => columns(range, most), [range, most]);
  return (
    <DataTable
      columns={defined}
      rows={rows}
      getRowId={(row) => row.ruleId}
      label="Open alerts by rule"
      className="overview-bars"
    />
  );
}
