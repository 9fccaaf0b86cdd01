'use client';

import type { ReactNode } from 'react';
import { formatCount } from '@/components/format-number';
import { formatUtc } from '@/lib/format-time';
import { DataTable, type Columns } from '../data-table';

/** One value an entity was seen with, already rendered (a link to its own page, say). */
export type SeenRow = { key: string; value: ReactNode; count: number; lastSeen: string };

const columns: Columns<SeenRow> = [
  { id: 'value', header: 'Value', cell: ({ row }) => row.original.value },
  { id: 'count', header: 'Requests', meta: { className: 'num' }, cell: ({ row }) => formatCount(row.original.count) },
  {
    id: 'lastSeen',
    header: 'Last seen (UTC)',
    meta: { cellClassName: 'small' },
    cell: ({ row }) => formatUtc(row.original.lastSeen),
  },
];

/** What an entity was seen with, most requests first. */
export function SeenTable({ rows, label }: { rows: SeenRow[]; label: string }) {
  return <DataTable columns={columns} rows={rows} getRowId={(row) => row.key} label={label} className="compact" />;
}
