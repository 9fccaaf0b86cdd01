'use client';

import type { ReactNode } from 'react';
import { formatUtc } from '@/lib/format-time';
import type { ApiTokenSummary } from '@/lib/auth/api-tokens';
import { DataTable, type Columns } from '../data-table';

/** A token as listed: its state when the page was read, and the control that revokes it. */
export type TokenRow = ApiTokenSummary & { status: 'active' | 'revoked' | 'expired'; revoke: ReactNode };

const nowrap = { cellClassName: 'nowrap' };

const columns: Columns<TokenRow> = [
  { id: 'name', header: 'Name', cell: ({ row }) => row.original.name },
  { id: 'token', header: 'Token', cell: ({ row }) => <code>{row.original.prefix}…</code> },
  { id: 'scopes', header: 'Scopes', cell: ({ row }) => row.original.scopes.join(', ') },
  {
    id: 'createdAt',
    header: 'Created',
    meta: nowrap,
    cell: ({ row }) => (
      <>
        {formatUtc(row.original.createdAt)}
        {row.original.createdBy ? <span className="muted"> by {row.original.createdBy}</span> : null}
      </>
    ),
  },
  {
    id: 'lastUsedAt',
    header: 'Last used',
    meta: nowrap,
    cell: ({ row }) => (row.original.lastUsedAt ? formatUtc(row.original.lastUsedAt) : 'never'),
  },
  {
    id: 'expiresAt',
    header: 'Expires',
    meta: nowrap,
    cell: ({ row }) => (row.original.expiresAt ? formatUtc(row.original.expiresAt) : 'never'),
  },
  {
    id: 'status',
    header: 'Status',
    cell: ({ row }) => (
      <span className={`status status-${row.original.status === 'active' ? 'completed' : 'failed'}`}>
        {row.original.status}
      </span>
    ),
  },
  { id: 'revoke', header: '', cell: ({ row }) => row.original.revoke },
];

/** Every API token, its scopes and use; only its prefix is ever shown again. */
export function TokensTable({ rows }: { rows: TokenRow[] }) {
  return <DataTable columns={columns} rows={rows} getRowId={(row) => row.id} label="Tokens" />;
}
