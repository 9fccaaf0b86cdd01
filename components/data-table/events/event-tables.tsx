'use client';

import Link from 'next/link';
import { useMemo } from 'react';
import { IpLink, PodLink, UserLink } from '@/components/entities/entity-link';
import { narrowEventsHref } from '@/components/entities/entity-event-query';
import { OutcomeLabel } from '@/components/events/outcome-label';
import { formatUtc } from '@/lib/format-time';
import { formatEventsHref, type EventFilterField, type EventQueryInput } from '@/lib/events/schemas';
import type { AuditEventRow, FileEventRow } from '@/lib/events/search-events';
import { DataTable, type Columns } from '../data-table';
import { NoValue } from '@/components/ui/no-value';
import './event-tables.css';

type TableProps<T> = {
  rows: T[];
  /** The explorer query the rows came from: values link to it narrowed by that value. */
  query: EventQueryInput;
  /** The id of the event whose details are open. */
  openId?: string | null;
  label: string;
  empty?: string;
};

/** A value that narrows the explorer to itself. */
function FilterLink({ query, field, value }: { query: EventQueryInput; field: EventFilterField; value: string }) {
  return (
    <Link
      href={narrowEventsHref(query, { [field]: value })}
      className="pivot clip-text"
      title={`${value}: only events with this ${field}`}
    >
      {value}
    </Link>
  );
}

function detailHref(query: EventQueryInput, kind: 'audit' | 'file', id: string): string {
  const params = new URLSearchParams(formatEventsHref(query).split('?')[1] ?? '');
  if (kind === 'file') params.set('kind', 'file');
  params.set('event', id);
  return `/events?${params}#event-detail`;
}

/** The time opens the event's details: fields, original JSON and the events around it. */
function timeColumn<T extends { id: string; time: string }>(
  query: EventQueryInput,
  kind: 'audit' | 'file',
): Columns<T>[number] {
  return {
    id: 'time',
    header: 'Time (UTC)',
    cell: ({ row }) => (
      <Link href={detailHref(query, kind, row.original.id)} title="Details, original JSON and events around it">
        {formatUtc(row.original.time)}
      </Link>
    ),
  };
}

function clusterColumn<T extends { cluster: string }>(query: EventQueryInput): Columns<T>[number] {
  return {
    id: 'cluster',
    header: 'Cluster',
    cell: ({ row }) => (
      <span className="clip-text event-cluster" title={row.original.cluster}>
        <FilterLink query={query} field="cluster" value={row.original.cluster} />
      </span>
    ),
  };
}

function auditColumns(query: EventQueryInput): Columns<AuditEventRow> {
  return [
    timeColumn<AuditEventRow>(query, 'audit'),
    clusterColumn<AuditEventRow>(query),
    {
      id: 'user',
      header: 'User',
      cell: ({ row }) => (row.original.username ? <UserLink name={row.original.username} /> : <NoValue />),
    },
    {
      id: 'sourceIp',
      header: 'Source IP',
      cell: ({ row }) => (row.original.sourceIp ? <IpLink ip={row.original.sourceIp} /> : <NoValue />),
    },
    {
      id: 'verb',
      header: 'Verb',
      cell: ({ row }) => <FilterLink query={query} field="verb" value={row.original.verb} />,
    },
    {
      id: 'resource',
      header: 'Resource',
      cell: ({ row }) =>
        row.original.resource ? (
          <>
            <FilterLink query={query} field="resource" value={row.original.resource} />
            {row.original.subresource ? <span className="muted">/{row.original.subresource}</span> : null}
          </>
        ) : (
          <code className="wrap">{row.original.requestUri ?? '—'}</code>
        ),
    },
    {
      id: 'object',
      header: 'Namespace / name',
      cell: ({ row }) => (
        <>
          {row.original.namespace ? (
            <FilterLink query={query} field="namespace" value={row.original.namespace} />
          ) : (
            <span className="muted">(cluster)</span>
          )}
          {' / '}
          {row.original.name ? <FilterLink query={query} field="name" value={row.original.name} /> : <NoValue />}
        </>
      ),
    },
    {
      id: 'outcome',
      header: 'Outcome',
      cell: ({ row }) => (
        <>
          <OutcomeLabel outcome={row.original.outcome} />{' '}
          <span className="muted small">{row.original.responseCode ?? ''}</span>
        </>
      ),
    },
    {
      id: 'userAgent',
      header: 'User agent',
      cell: ({ row }) =>
        row.original.userAgent ? (
          <code className="small clip" title={row.original.userAgent}>
            {row.original.userAgent}
          </code>
        ) : (
          <NoValue />
        ),
    },
    {
      id: 'pod',
      header: 'Pod / node',
      cell: ({ row }) => (
        <>
          {row.original.podName ? <PodLink name={row.original.podName} username={row.original.username} /> : null}
          {row.original.nodeName ? (
            <div className="muted small">
              <FilterLink query={query} field="node" value={row.original.nodeName} />
            </div>
          ) : null}
          {!row.original.podName && !row.original.nodeName ? <NoValue /> : null}
        </>
      ),
    },
  ];
}

function fileColumns(query: EventQueryInput): Columns<FileEventRow> {
  return [
    timeColumn<FileEventRow>(query, 'file'),
    clusterColumn<FileEventRow>(query),
    {
      id: 'pod',
      header: 'Pod',
      cell: ({ row }) =>
        row.original.podName ? <PodLink name={row.original.podName} namespace={row.original.namespace} /> : <NoValue />,
    },
    {
      id: 'namespace',
      header: 'Namespace',
      cell: ({ row }) =>
        row.original.namespace ? (
          <FilterLink query={query} field="namespace" value={row.original.namespace} />
        ) : (
          <NoValue />
        ),
    },
    {
      id: 'action',
      header: 'Action',
      cell: ({ row }) => <FilterLink query={query} field="action" value={row.original.action} />,
    },
    {
      id: 'path',
      header: 'Path',
      cell: ({ row }) => <code className="wrap">{row.original.path}</code>,
    },
    {
      id: 'process',
      header: 'Process',
      cell: ({ row }) =>
        row.original.processName ? (
          <>
            <FilterLink query={query} field="process" value={row.original.processName} />
            {row.original.processArgs.length ? (
              <div>
                <code className="wrap small">{row.original.processArgs.join(' ')}</code>
              </div>
            ) : null}
          </>
        ) : (
          <NoValue />
        ),
    },
    {
      id: 'processUser',
      header: 'Process user',
      cell: ({ row }) => row.original.processUser ?? <NoValue />,
    },
    {
      id: 'container',
      header: 'Container',
      cell: ({ row }) =>
        row.original.containerId ? (
          <FilterLink query={query} field="container" value={row.original.containerId} />
        ) : (
          <NoValue />
        ),
    },
  ];
}

export function AuditEventTable({
  rows,
  query,
  openId,
  label,
  empty = 'No audit events match.',
}: TableProps<AuditEventRow>) {
  const columns = useMemo(() => auditColumns(query), [query]);
  return (
    <DataTable
      columns={columns}
      rows={rows}
      getRowId={(row) => row.id}
      label={label}
      dense
      empty={empty}
      className="event-table"
      isCurrent={(row) => row.id === openId}
    />
  );
}

export function FileEventTable({
  rows,
  query,
  openId,
  label,
  empty = 'No file events match.',
}: TableProps<FileEventRow>) {
  const columns = useMemo(() => fileColumns({ ...query, kind: 'file' }), [query]);
  return (
    <DataTable
      columns={columns}
      rows={rows}
      getRowId={(row) => row.id}
      label={label}
      dense
      empty={empty}
      className="event-table"
      isCurrent={(row) => row.id === openId}
    />
  );
}
