'use client';

import Link from 'next/link';
import { useMemo } from 'react';
import { narrowEventsHref } from '@/components/entities/entity-event-query';
import { formatCount } from '@/components/format-number';
import { formatUtc } from '@/lib/format-time';
import type { EntityProfile } from '@/lib/entities/read-entity';
import type { EventQueryInput } from '@/lib/events/schemas';
import { DataTable, type Columns } from '../data-table';

type Secret = EntityProfile['secrets'][number];

const count = (value: number) => (value ? formatCount(value) : '');

function columns(base: EventQueryInput): Columns<Secret> {
  return [
    {
      id: 'namespace',
      header: 'Namespace',
      cell: ({ row }) =>
        row.original.namespace ? (
          <Link
            href={narrowEventsHref(base, { resource: 'secrets', namespace: row.original.namespace })}
            className="pivot"
          >
            {row.original.namespace}
          </Link>
        ) : (
          <span className="muted">(all namespaces)</span>
        ),
    },
    {
      id: 'secret',
      header: 'Secret',
      cell: ({ row }) => {
        const { name, namespace } = row.original;
        if (!name) return <span className="muted">(every secret: list / watch)</span>;
        return (
          <Link
            href={narrowEventsHref(base, { resource: 'secrets', name, ...(namespace ? { namespace } : {}) })}
            className="pivot"
          >
            {name}
          </Link>
        );
      },
    },
    { id: 'verbs', header: 'Verbs', cell: ({ row }) => row.original.verbs.join(', ') },
    {
      id: 'firstSeen',
      header: 'First seen (UTC)',
      meta: { cellClassName: 'small' },
      cell: ({ row }) => formatUtc(row.original.firstSeen),
    },
    {
      id: 'lastSeen',
      header: 'Last seen (UTC)',
      meta: { cellClassName: 'small' },
      cell: ({ row }) => formatUtc(row.original.lastSeen),
    },
    {
      id: 'allowed',
      header: 'Allowed',
      meta: { className: 'num', cellClassName: 'outcome-allowed' },
      cell: ({ row }) => count(row.original.allowed),
    },
    {
      id: 'forbidden',
      header: 'Forbidden',
      meta: { className: 'num', cellClassName: 'outcome-forbidden' },
      cell: ({ row }) => count(row.original.forbidden),
    },
    {
      id: 'other',
      header: 'No outcome',
      meta: { className: 'num', cellClassName: 'muted' },
      cell: ({ row }) => count(row.original.other),
    },
  ];
}

/** The secrets an entity read, listed or changed, each opening those requests in the explorer. */
export function SecretsTable({ rows, base }: { rows: Secret[]; base: EventQueryInput }) {
  const defined = useMemo(() => columns(base), [base]);
  return (
    <DataTable
      columns={defined}
      rows={rows}
      getRowId={(row) => `${row.namespace}/${row.name}`}
      label="Secrets touched"
      className="compact"
    />
  );
}
