'use client';

import Link from 'next/link';
import { SeverityBadge, StatusBadge } from '@/components/alerts/labels';
import { formatUtc } from '@/lib/format-time';
import { NoValue } from '@/components/ui/no-value';
import type { CloseReason } from '@/lib/alerts/schemas';
import type { IncidentSummary } from '@/lib/incidents/list-incidents';
import { formatIncidentQueueHref, type IncidentListQuery } from '@/lib/incidents/schemas';
import type { Columns } from '../data-table';

type SortField = IncidentListQuery['sort'];

function SortHeader({ label, field, query }: { label: string; field: SortField; query: IncidentListQuery }) {
  const active = query.sort === field;
  const dir = active && query.dir === 'desc' ? 'asc' : 'desc';
  return (
    <Link
      href={formatIncidentQueueHref({ ...query, sort: field, dir, page: 1 })}
      className="sort-link"
      aria-sort={active ? (query.dir === 'asc' ? 'ascending' : 'descending') : undefined}
    >
      {label}
      {active ? (query.dir === 'asc' ? ' ▲' : ' ▼') : ''}
    </Link>
  );
}

export function incidentQueueColumns(query: IncidentListQuery, selectable: boolean): Columns<IncidentSummary> {
  const columns: Columns<IncidentSummary> = [
    {
      id: 'title',
      header: 'Incident',
      cell: ({ row }) => (
        <Link href={`/incidents/${row.original.id}`} className="incident-title">
          {row.original.title}
        </Link>
      ),
    },
    {
      id: 'severity',
      header: () => <SortHeader label="Severity" field="severity" query={query} />,
      cell: ({ row }) => <SeverityBadge severity={row.original.severity} />,
    },
    {
      id: 'status',
      header: () => <SortHeader label="Status" field="status" query={query} />,
      cell: ({ row }) => (
        <StatusBadge status={row.original.status} closeReason={row.original.closeReason as CloseReason | null} />
      ),
    },
    {
      id: 'alertCount',
      header: () => <SortHeader label="Alerts" field="alertCount" query={query} />,
      cell: ({ row }) => row.original.alertCount,
    },
    { id: 'rules', header: 'Rules', cell: ({ row }) => row.original.rules.join(', ') },
    { id: 'clusters', header: 'Cluster', cell: ({ row }) => row.original.clusters.join(', ') || '—' },
    {
      id: 'assignee',
      header: 'Assignee',
      cell: ({ row }) => row.original.assignee ?? <NoValue />,
    },
    {
      id: 'firstEventAt',
      header: () => <SortHeader label="First event" field="firstEventAt" query={query} />,
      cell: ({ row }) => (row.original.firstEventAt ? formatUtc(row.original.firstEventAt) : <NoValue />),
    },
    {
      id: 'lastEventAt',
      header: () => <SortHeader label="Last event" field="lastEventAt" query={query} />,
      cell: ({ row }) => (row.original.lastEventAt ? formatUtc(row.original.lastEventAt) : <NoValue />),
    },
  ];
  if (!selectable) return columns;
  return [
    {
      id: 'select',
      header: ({ table }) => (
        <input
          type="checkbox"
          aria-label="Select every incident on this page"
          checked={table.getIsAllPageRowsSelected()}
          onChange={table.getToggleAllPageRowsSelectedHandler()}
        />
      ),
      cell: ({ row }) => (
        <input
          type="checkbox"
          aria-label={`Select ${row.original.title}`}
          checked={row.getIsSelected()}
          onChange={(event) => row.toggleSelected(event.target.checked)}
        />
      ),
    },
    ...columns,
  ];
}
