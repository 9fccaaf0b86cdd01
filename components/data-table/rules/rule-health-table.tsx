'use client';

import Link from 'next/link';
import { formatCount } from '@/components/format-number';
import { formatUtc } from '@/lib/format-time';
import { formatAlertQueueHref } from '@/lib/alerts/schemas';
import type { RuleHealth } from '@/lib/rules/list-rule-health';
import { DataTable, type Columns } from '../data-table';
import { RuleAlertCounts } from './rule-alert-counts';

/** A rule's health with its catalog entry, when the rule is still in the catalog. */
export type RuleHealthRow = RuleHealth & { rule: { name: string; enabled: boolean } | null };

const number = { className: 'overview-number' };
const none = '—';

const columns: Columns<RuleHealthRow> = [
  {
    id: 'rule',
    header: 'Rule',
    cell: ({ row }) => (
      <>
        <Link href={formatAlertQueueHref({ filter: { rule: [row.original.ruleId] } })}>
          {row.original.rule?.name ?? row.original.ruleId}
        </Link>
        {row.original.rule && !row.original.rule.enabled ? <span className="muted small"> · disabled</span> : null}
      </>
    ),
  },
  {
    id: 'lastRun',
    header: 'Last run',
    meta: { cellClassName: 'nowrap small' },
    cell: ({ row }) => {
      const run = row.original.lastRun;
      if (!run) return <span className="muted">not yet</span>;
      return (
        <>
          {formatUtc(run.startedAt)}
          {run.durationMs === null ? (
            <span className="muted"> · still running</span>
          ) : (
            <span className="muted"> · {formatCount(run.durationMs)} ms</span>
          )}
        </>
      );
    },
  },
  {
    id: 'eventsScanned',
    header: 'Events scanned',
    meta: number,
    cell: ({ row }) => (row.original.lastRun ? formatCount(row.original.lastRun.eventsScanned) : none),
  },
  {
    id: 'alerts',
    header: 'Alerts created · updated',
    meta: number,
    cell: ({ row }) => {
      const run = row.original.lastRun;
      return run ? `${formatCount(run.alertsCreated)} · ${formatCount(run.alertsUpdated)}` : none;
    },
  },
  { id: 'runs', header: 'Runs', meta: number, cell: ({ row }) => formatCount(row.original.runs) },
  {
    id: 'openAlerts',
    header: 'Alerts',
    meta: number,
    cell: ({ row }) => <RuleAlertCounts ruleId={row.original.ruleId} health={row.original} />,
  },
  {
    id: 'error',
    header: 'Error',
    meta: { cellClassName: 'wrap overview-error-cell' },
    cell: ({ row }) =>
      row.original.lastRun?.error ? (
        <span className="error-text overview-error">{row.original.lastRun.error}</span>
      ) : (
        <span className="muted">none</span>
      ),
  },
];

/** Every rule's latest run: when, how long, what it scanned and raised, and its error if it failed. */
export function RuleHealthTable({ rows }: { rows: RuleHealthRow[] }) {
  return (
    <DataTable
      columns={columns}
      rows={rows}
      getRowId={(row) => row.ruleId}
      label="Rule health"
      rowAttributes={(row) => ({ 'data-error': Boolean(row.lastRun?.error) })}
    />
  );
}
