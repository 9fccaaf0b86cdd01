'use client';

import { formatUtc } from '@/lib/format-time';
import type { JobRow } from '@/lib/jobs/list-jobs';
import { DataTable, type Columns } from '../data-table';

const columns: Columns<JobRow> = [
  {
    id: 'job',
    header: 'Job',
    cell: ({ row }) => (
      <>
        <code>{row.original.task}</code>
        {row.original.payloadRange ? <div className="muted small">{row.original.payloadRange}</div> : null}
      </>
    ),
  },
  {
    id: 'state',
    header: 'State',
    cell: ({ row }) => <span className={`status status-${row.original.state}`}>{row.original.state}</span>,
  },
  {
    id: 'attempts',
    header: 'Attempts',
    cell: ({ row }) => (
      <>
        {row.original.attempts} / {row.original.maxAttempts}
      </>
    ),
  },
  {
    id: 'runAt',
    header: 'Runs at',
    meta: { cellClassName: 'nowrap' },
    cell: ({ row }) => formatUtc(row.original.runAt),
  },
  {
    id: 'lastError',
    header: 'Last error',
    meta: { cellClassName: 'error-text small' },
    cell: ({ row }) => row.original.lastError ?? '',
  },
];

/** Jobs waiting, running, retrying or dead-lettered. */
export function JobQueueTable({ rows }: { rows: JobRow[] }) {
  return <DataTable columns={columns} rows={rows} getRowId={(row) => row.id} label="Jobs in the queue" />;
}
