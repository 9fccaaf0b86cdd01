'use client';

import Link from 'next/link';
import { formatCount } from '@/components/format-number';
import { formatUtc } from '@/lib/format-time';
import type { FinishedDetection } from '@/lib/jobs/list-finished-detections';
import { DataTable, type Columns } from '../data-table';

const columns: Columns<FinishedDetection> = [
  {
    id: 'finished',
    header: 'Finished',
    meta: { cellClassName: 'nowrap small' },
    cell: ({ row }) => formatUtc(row.original.finishedAt),
  },
  {
    id: 'range',
    header: 'Event time detected',
    meta: { cellClassName: 'small' },
    cell: ({ row }) => (
      <>
        {formatUtc(row.original.rangeFrom)} – {formatUtc(row.original.rangeTo)}
      </>
    ),
  },
  { id: 'rules', header: 'Rules', cell: ({ row }) => formatCount(row.original.rules) },
  { id: 'scanned', header: 'Events scanned', cell: ({ row }) => formatCount(row.original.eventsScanned) },
  {
    id: 'alerts',
    header: 'Alerts new · updated',
    cell: ({ row }) => `${formatCount(row.original.alertsCreated)} · ${formatCount(row.original.alertsUpdated)}`,
  },
  {
    id: 'uploads',
    header: 'Uploads in its range',
    meta: { cellClassName: 'small' },
    cell: ({ row }) =>
      row.original.uploads.length === 0 ? (
        <span className="muted">none</span>
      ) : (
        row.original.uploads.map((upload, index) => (
          <span key={upload.id}>
            {index ? ', ' : ''}
            <Link href={`/uploads#batch-${upload.id}`}>{upload.name}</Link>
          </span>
        ))
      ),
  },
  {
    id: 'errors',
    header: 'Errors',
    cell: ({ row }) =>
      row.original.errors ? (
        <span className="error-text">{formatCount(row.original.errors)} rule(s) failed</span>
      ) : (
        <span className="muted">none</span>
      ),
  },
];

/** Detection runs finished in the last days, newest first, each with the uploads it covered. */
export function FinishedDetectionsTable({ rows }: { rows: FinishedDetection[] }) {
  return (
    <DataTable
      columns={columns}
      rows={rows}
      getRowId={(row) => `${row.finishedAt}-${row.rangeFrom}-${row.rangeTo}`}
      label="Finished detection runs"
      dense
    />
  );
}
