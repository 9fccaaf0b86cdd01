'use client';

import type { ReactNode } from 'react';
import { formatUtc } from '@/lib/format-time';
import type { UserSummary } from '@/lib/auth/users';
import { DataTable, type Columns } from '../data-table';

/** An account with the controls that change it, rendered by the page. */
export type UserRow = UserSummary & { controls: ReactNode };

const nowrap = { cellClassName: 'nowrap' };

const columns: Columns<UserRow> = [
  { id: 'email', header: 'Email', cell: ({ row }) => row.original.email },
  { id: 'name', header: 'Name', cell: ({ row }) => row.original.name },
  {
    id: 'role',
    header: 'Role',
    cell: ({ row }) => <span className={`badge role-${row.original.role}`}>{row.original.role}</span>,
  },
  {
    id: 'status',
    header: 'Status',
    cell: ({ row }) => (row.original.disabled ? <span className="status status-failed">disabled</span> : 'active'),
  },
  {
    id: 'lastSignInAt',
    header: 'Last sign-in',
    meta: nowrap,
    cell: ({ row }) => (row.original.lastSignInAt ? formatUtc(row.original.lastSignInAt) : 'never'),
  },
  { id: 'createdAt', header: 'Created', meta: nowrap, cell: ({ row }) => formatUtc(row.original.createdAt) },
  { id: 'change', header: 'Change', cell: ({ row }) => row.original.controls },
];

/** Everyone who may sign in, with their role and status. */
export function UsersTable({ rows }: { rows: UserRow[] }) {
  return <DataTable columns={columns} rows={rows} getRowId={(row) => row.id} label="Accounts" />;
}
