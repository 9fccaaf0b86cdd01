'use client';

import { formatCount } from '@/components/format-number';
import { formatUtc } from '@/lib/format-time';
import type { RuleHealth } from '@/lib/rules/list-rule-health';
import { DataTable, type Columns } from '../data-table';

export type RuleRunRow = RuleHealth & { name: string };

const columns: Columns<RuleRunRow> = [
  {
    id: 'rule',
    header: 'Rule',
    cell: ({ row }) => (
      <>
        <strong>{row.original.name}</strong>
        <div className="muted small">{row.original.ruleId}</div>
      </>
    ),
  },
  {
    id: 'lastRun',
    header: 'Last run',
    // A rule that never ran says so across its run's five columns.
    spanColumns: ({ row }) => (row.original.lastRun ? 1 : 5),
    meta: { cellClassName: (row) => (row.lastRun ? 'nowrap' : 'muted') },
    cell: ({ row }) => {
      const run = row.original.lastRun;
      if (!run) return 'Not run yet';
      return (
        <>
          {formatUtc(run.startedAt)}
          {run.error ? <div className="error-text small">{run.error}</div> : null}
        </>
      );
    },
  },
  {
    id: 'duration',
    header: 'Duration',
    cell: ({ row }) => {
      const duration = row.original.lastRun?.durationMs ?? null;
      return duration === null ? '—' : `${duration} ms`;
    },
  },
  {
    id: 'eventsScanned',
    header: 'Events scanned',
    cell: ({ row }) => formatCount(row.original.lastRun?.eventsScanned ?? 0),
  },
  { id: 'alertsCreated', header: 'Alerts created', cell: ({ row }) => row.original.lastRun?.alertsCreated },
  { id: 'alertsUpdated', header: 'Alerts updated', cell: ({ row }) => row.original.lastRun?.alertsUpdated },
  { id: 'runs', header: 'Runs', cell: ({ row }) => formatCount(row.original.runs) },
];

/** Each rule's latest run and how many it has had. */
export function RuleRunsTable({ rows }: { rows: RuleRunRow[] }) {
  return <DataTable columns={columns} rows={rows} getRowId={(row) => row.ruleId} label="Rule runs" />;
}
