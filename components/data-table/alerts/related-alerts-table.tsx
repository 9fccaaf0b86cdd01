'use client';

import Link from 'next/link';
import { SeverityBadge, StatusBadge } from '@/components/alerts/labels';
import { IpLink, PodLink, UserLink } from '@/components/entities/entity-link';
import { formatUtc } from '@/lib/format-time';
import type { AlertRow } from '@/lib/alerts/list-alerts';
import { DataTable, type Columns } from '../data-table';
import './alerts.css';

const columns: Columns<AlertRow> = [
  { id: 'severity', header: 'Severity', cell: ({ row }) => <SeverityBadge severity={row.original.severity} /> },
  {
    id: 'rule',
    header: 'Alert',
    cell: ({ row }) => (
      <Link href={`/alerts/${row.original.id}`} className="alert-link">
        {row.original.ruleName}
      </Link>
    ),
  },
  {
    id: 'status',
    header: 'Status',
    cell: ({ row }) => <StatusBadge status={row.original.status} closeReason={row.original.closeReason} />,
  },
  { id: 'lastEventAt', header: 'Last event', cell: ({ row }) => formatUtc(row.original.lastEventAt) },
  { id: 'eventCount', header: 'Events', cell: ({ row }) => row.original.eventCount },
  {
    id: 'cluster',
    header: 'Cluster',
    cell: ({ row }) => (
      <span className="clip-text alert-cluster" title={row.original.cluster ?? undefined}>
        {row.original.cluster ?? '—'}
      </span>
    ),
  },
  {
    id: 'user',
    header: 'User',
    cell: ({ row }) => (row.original.username ? <UserLink name={row.original.username} /> : '—'),
  },
  {
    id: 'sourceIp',
    header: 'Source IP',
    cell: ({ row }) => (row.original.sourceIp ? <IpLink ip={row.original.sourceIp} /> : '—'),
  },
  {
    id: 'pod',
    header: 'Pod',
    cell: ({ row }) =>
      row.original.podName ? (
        <PodLink
          name={row.original.podName}
          username={row.original.username}
          namespace={row.original.username ? undefined : row.original.namespaces[0]}
        />
      ) : (
        '—'
      ),
  },
];

export function RelatedAlertsTable({ rows, label }: { rows: AlertRow[]; label: string }) {
  return (
    <DataTable
      columns={columns}
      rows={rows}
      getRowId={(row) => row.id}
      label={label}
      dense
      empty="No alerts in this range."
    />
  );
}
