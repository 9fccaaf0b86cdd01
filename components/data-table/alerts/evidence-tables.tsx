'use client';

import { OriginalJson } from '@/components/events/original-json';
import { OutcomeLabel } from '@/components/events/outcome-label';
import { formatUtc } from '@/lib/format-time';
import type { EvidenceEvent, EvidenceFileEvent } from '@/lib/alerts/read-alert';
import { DataTable, type Columns } from '../data-table';
import { NoValue } from '@/components/ui/no-value';
import { ClipText } from '@/components/ui/value-list';
import { describeEventGrant } from '@/lib/rbac/describe-event-grant';

const time = { cellClassName: 'nowrap small' };

const auditColumns: Columns<EvidenceEvent> = [
  { id: 'time', header: 'Time', meta: time, cell: ({ row }) => formatUtc(row.original.time) },
  {
    id: 'request',
    header: 'Request',
    cell: ({ row }) => {
      const event = row.original;
      return (
        <>
          <code>{event.verb}</code> {event.resource}
          {event.subresource ? `/${event.subresource}` : ''}{' '}
          {event.name ? <strong className="wrap">{event.name}</strong> : null}
          {event.namespace ? <span className="muted small"> in {event.namespace}</span> : null}
          {event.userAgent ? <div className="muted small wrap">{event.userAgent}</div> : null}
        </>
      );
    },
  },
  {
    id: 'user',
    header: 'User',
    cell: ({ row }) => (row.original.username ? <ClipText value={row.original.username} /> : '—'),
  },
  {
    id: 'sourceIp',
    header: 'Source IP',
    meta: { cellClassName: 'nowrap' },
    cell: ({ row }) => row.original.sourceIp ?? '—',
  },
  {
    id: 'outcome',
    header: 'Outcome',
    meta: { cellClassName: 'nowrap' },
    cell: ({ row }) => (
      <>
        <OutcomeLabel outcome={row.original.outcome} />{' '}
        <span className="muted small">{row.original.responseCode ?? ''}</span>
        {describeEventGrant(row.original) ? (
          <div className="muted small wrap">{describeEventGrant(row.original)}</div>
        ) : null}
      </>
    ),
  },
  {
    id: 'original',
    header: 'Original',
    cell: ({ row }) => (row.original.original ? <OriginalJson source={row.original.original} /> : <NoValue />),
  },
];

const fileColumns: Columns<EvidenceFileEvent> = [
  { id: 'time', header: 'Time', meta: time, cell: ({ row }) => formatUtc(row.original.time) },
  {
    id: 'path',
    header: 'Path',
    cell: ({ row }) => (
      <>
        <code className="wrap">{row.original.path}</code> <span className="muted small">{row.original.action}</span>
      </>
    ),
  },
  { id: 'process', header: 'Process', cell: ({ row }) => row.original.processName ?? '—' },
  {
    id: 'pod',
    header: 'Pod',
    cell: ({ row }) => (
      <>
        {row.original.podName ?? '—'}
        {row.original.namespace ? <span className="muted small"> in {row.original.namespace}</span> : null}
      </>
    ),
  },
  { id: 'original', header: 'Original', cell: ({ row }) => <OriginalJson source={row.original.original} /> },
];

/** The audit requests an alert was raised on, one page of them, in time order. */
export function AuditEvidenceTable({ rows }: { rows: EvidenceEvent[] }) {
  return (
    <DataTable
      columns={auditColumns}
      rows={rows}
      getRowId={(row) => row.id}
      label="Audit event evidence"
      className="evidence-table"
    />
  );
}

/** The container file events an alert was raised on. */
export function FileEvidenceTable({ rows }: { rows: EvidenceFileEvent[] }) {
  return (
    <DataTable
      columns={fileColumns}
      rows={rows}
      getRowId={(row) => row.id}
      label="Container file events"
      className="evidence-table"
    />
  );
}
