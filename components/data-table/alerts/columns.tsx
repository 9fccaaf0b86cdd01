'use client';

import Link from 'next/link';
import { SeverityBadge, StatusBadge } from '@/components/alerts/labels';
import { IpLink, PodLink, UserLink } from '@/components/entities/entity-link';
import { formatUtc } from '@/lib/format-time';
import type { AlertRow } from '@/lib/alerts/list-alerts';
import {
  formatAlertQueueHref,
  type AlertFilter,
  type AlertGroupField,
  type AlertListQuery,
  type AlertSortField,
} from '@/lib/alerts/schemas';
import type { Columns } from '../data-table';
import { NoValue } from '@/components/ui/no-value';
import { ClipText, ValueList } from '@/components/ui/value-list';
import './alerts.css';

function SortHeader({
  label,
  field,
  query,
  group,
}: {
  label: string;
  field: AlertSortField;
  query: AlertListQuery;
  group: AlertGroupField | null;
}) {
  const active = query.sort === field;
  const dir = active && query.dir === 'desc' ? 'asc' : 'desc';
  return (
    <Link
      href={formatAlertQueueHref({ ...query, sort: field, dir, page: 1 }, { group })}
      className="sort-link"
      aria-sort={active ? (query.dir === 'asc' ? 'ascending' : 'descending') : undefined}
    >
      {label}
      {active ? (query.dir === 'asc' ? ' ▲' : ' ▼') : ''}
    </Link>
  );
}

/** A value that opens the queue on every alert with it, whatever their status. */
function QueuePivot({ filter, children }: { filter: Partial<AlertFilter>; children: React.ReactNode }) {
  return (
    <Link
      href={formatAlertQueueHref({ filter: { status: undefined, ...filter } })}
      className="pivot clip-text"
      title={`${typeof children === 'string' ? `${children}: ` : ''}all alerts for this`}
    >
      {children}
    </Link>
  );
}

function SecretsNote({ names }: { names: string[] }) {
  if (!names.length) return '';
  return (
    <>
      {names.length} secret(s): <ValueList values={names} max={1} />
    </>
  );
}

const selectColumn: Columns<AlertRow>[number] = {
  id: 'select',
  header: ({ table }) => (
    <input
      type="checkbox"
      aria-label="Select every alert on this page"
      checked={table.getIsAllPageRowsSelected()}
      ref={(input) => {
        // Partial only while some, not all, rows are ticked (the table's "some" is true for all as well).
        if (input) input.indeterminate = !table.getIsAllPageRowsSelected() && table.getIsSomePageRowsSelected();
      }}
      onChange={table.getToggleAllPageRowsSelectedHandler()}
    />
  ),
  cell: ({ row }) => (
    <input
      type="checkbox"
      aria-label={`Select alert ${row.original.ruleName} ${row.original.username ?? ''}`}
      checked={row.getIsSelected()}
      onChange={(event) => row.toggleSelected(event.target.checked)}
    />
  ),
};

/** The queue's columns: headers sort through the URL; a tick column first when alerts can be changed. */
export function alertQueueColumns(
  query: AlertListQuery,
  group: AlertGroupField | null,
  selectable: boolean,
): Columns<AlertRow> {
  const sortable = (label: string, field: AlertSortField) =>
    function Header() {
      return <SortHeader label={label} field={field} query={query} group={group} />;
    };
  const columns: Columns<AlertRow> = [
    {
      id: 'severity',
      header: sortable('Severity', 'severity'),
      cell: ({ row }) => <SeverityBadge severity={row.original.severity} />,
    },
    {
      id: 'rule',
      header: sortable('Alert', 'rule'),
      cell: ({ row }) => (
        <>
          <Link href={`/alerts/${row.original.id}`} className="alert-link">
            {row.original.ruleName}
          </Link>
          <div className="muted small">
            <SecretsNote names={row.original.secretNames} />
          </div>
        </>
      ),
    },
    {
      id: 'risk',
      header: sortable('Risk', 'riskScore'),
      cell: ({ row }) => <span className="risk-score">{row.original.riskScore}</span>,
    },
    {
      id: 'cluster',
      header: 'Cluster',
      cell: ({ row }) =>
        row.original.cluster ? (
          <span className="clip-text alert-cluster" title={row.original.cluster}>
            <QueuePivot filter={{ cluster: row.original.cluster }}>{row.original.cluster}</QueuePivot>
          </span>
        ) : (
          <NoValue />
        ),
    },
    {
      id: 'user',
      header: sortable('User', 'username'),
      cell: ({ row }) => (row.original.username ? <UserLink name={row.original.username} /> : <NoValue />),
    },
    {
      id: 'sourceIp',
      header: 'Source IP',
      cell: ({ row }) => (row.original.sourceIp ? <IpLink ip={row.original.sourceIp} /> : <NoValue />),
    },
    {
      id: 'pod',
      header: 'Pod / namespace',
      cell: ({ row }) => (
        <>
          {row.original.podName ? (
            <PodLink
              name={row.original.podName}
              username={row.original.username}
              namespace={row.original.username ? undefined : row.original.namespaces[0]}
            />
          ) : null}
          <div className="muted small">
            <ValueList
              values={row.original.namespaces}
              render={(namespace) => <QueuePivot filter={{ namespace }}>{namespace}</QueuePivot>}
            />
          </div>
        </>
      ),
    },
    {
      id: 'status',
      header: sortable('Status', 'status'),
      cell: ({ row }) => (
        <>
          <StatusBadge status={row.original.status} closeReason={row.original.closeReason} />
          {row.original.withdrawn ? <span className="alert-status alert-status-withdrawn"> withdrawn</span> : null}
        </>
      ),
    },
    {
      id: 'assignee',
      header: 'Assignee',
      cell: ({ row }) =>
        row.original.assignee ? (
          <ClipText value={row.original.assignee.email} />
        ) : (
          <span className="muted">Unassigned</span>
        ),
    },
    {
      id: 'events',
      header: sortable('Events', 'eventCount'),
      cell: ({ row }) => row.original.eventCount,
    },
    {
      id: 'lastEventAt',
      header: sortable('Last event', 'lastEventAt'),
      cell: ({ row }) => <span className="nowrap small">{formatUtc(row.original.lastEventAt)}</span>,
    },
  ];
  return selectable ? [selectColumn, ...columns] : columns;
}
