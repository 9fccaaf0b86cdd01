'use client';

import { SeverityBadge } from '@/components/alerts/labels';
import { formatUtc } from '@/lib/format-time';
import type { RuleHealth } from '@/lib/rules/list-rule-health';
import type { RuleSummary } from '@/lib/rules/list-rules';
import { RuleAlertCounts } from './rule-alert-counts';
import { DataTable, type Columns } from '../data-table';

export type RuleCatalogRow = RuleSummary & { health: RuleHealth | null };

const nowrap = { cellClassName: 'nowrap' };

const columns: Columns<RuleCatalogRow> = [
  {
    id: 'rule',
    header: 'Rule',
    cell: ({ row }) => (
      <>
        <strong>{row.original.name}</strong>
        <div className="muted small">{row.original.description}</div>
      </>
    ),
  },
  { id: 'severity', header: 'Severity', cell: ({ row }) => <SeverityBadge severity={row.original.severity} /> },
  { id: 'risk', header: 'Risk', cell: ({ row }) => row.original.riskScore },
  {
    id: 'mitre',
    header: 'MITRE ATT&CK',
    cell: ({ row }) =>
      row.original.mitre.map((entry) => {
        const technique = entry.subtechnique ?? entry.technique;
        return (
          <div key={`${entry.tactic.id}-${technique.id}`} title={`${entry.tactic.name}: ${technique.name}`}>
            <code className="nowrap">{technique.id}</code> <span className="muted small">{technique.name}</span>
          </div>
        );
      }),
  },
  {
    id: 'parameters',
    header: 'Parameters',
    meta: nowrap,
    cell: ({ row }) =>
      Object.entries(row.original.parameters).map(([name, value]) => (
        <div key={name}>
          <span className="muted small">{name}</span> <code>{String(value)}</code>
        </div>
      )),
  },
  {
    id: 'alerts',
    header: 'Alerts',
    meta: nowrap,
    cell: ({ row }) => {
      const counts = row.original.health;
      return counts ? <RuleAlertCounts ruleId={row.original.id} health={counts} /> : '—';
    },
  },
  {
    id: 'lastRun',
    header: 'Last run',
    meta: { cellClassName: 'nowrap small' },
    cell: ({ row }) => {
      const run = row.original.health?.lastRun;
      return run ? formatUtc(run.startedAt) : 'not yet';
    },
  },
  { id: 'enabled', header: 'Enabled', cell: ({ row }) => (row.original.enabled ? 'Yes' : 'No') },
];

/** Every detection with its severity, ATT&CK techniques, parameters, alerts and latest run. */
export function RuleCatalogTable({ rows }: { rows: RuleCatalogRow[] }) {
  return <DataTable columns={columns} rows={rows} getRowId={(row) => row.id} label="Rule catalog" />;
}
