'use client';

import Link from 'next/link';
import type { ReactNode } from 'react';
import { opLabel, valueText } from '@/components/allowlist/conditions';
import { formatCount } from '@/components/format-number';
import { formatUtc } from '@/lib/format-time';
import type { AllowlistEntryView } from '@/lib/allowlist/list-allowlist';
import type { AllowlistCondition } from '@/lib/allowlist/schemas';
import type { Columns } from '../data-table';

export function ConditionList({ conditions }: { conditions: AllowlistCondition[] }) {
  return (
    <ul className="plain-list condition-list">
      {conditions.map((condition, index) => (
        <li key={index}>
          {index ? <span className="muted small">and </span> : null}
          <code>{condition.field}</code> {opLabel(condition.op)}{' '}
          <code className="wrap">{valueText(condition.value)}</code>
        </li>
      ))}
    </ul>
  );
}

const columns: Columns<AllowlistEntryView> = [
  { id: 'conditions', header: 'Conditions', cell: ({ row }) => <ConditionList conditions={row.original.conditions} /> },
  { id: 'scope', header: 'Scope', cell: ({ row }) => row.original.ruleName ?? <em>All rules</em> },
  { id: 'reason', header: 'Reason', meta: { cellClassName: 'wrap' }, cell: ({ row }) => row.original.reason },
  {
    id: 'author',
    header: 'Author',
    meta: { cellClassName: 'small' },
    cell: ({ row }) => (
      <>
        {row.original.authorName}
        <div className="muted">{formatUtc(row.original.createdAt)}</div>
        {row.original.sourceAlertId ? <Link href={`/alerts/${row.original.sourceAlertId}`}>source alert</Link> : null}
      </>
    ),
  },
  {
    id: 'hits',
    header: 'Hits',
    meta: { cellClassName: 'nowrap' },
    cell: ({ row }) => (
      <>
        {formatCount(row.original.hitCount)}
        <div className="muted small">
          {row.original.lastHitAt ? `last ${formatUtc(row.original.lastHitAt)}` : 'never hit'}
        </div>
      </>
    ),
  },
  {
    id: 'expires',
    header: 'Expires',
    meta: { cellClassName: 'nowrap small' },
    cell: ({ row }) =>
      row.original.expiresAt ? (
        <span className={row.original.expired ? 'error-text' : undefined}>
          {row.original.expired ? 'expired ' : ''}
          {formatUtc(row.original.expiresAt)}
        </span>
      ) : (
        'never'
      ),
  },
  {
    id: 'state',
    header: 'State',
    cell: ({ row }) => {
      const { enabled, expired } = row.original;
      return (
        <span className={`status ${enabled && !expired ? 'status-completed' : 'status-failed'}`}>
          {enabled ? (expired ? 'expired' : 'active') : 'disabled'}
        </span>
      );
    },
  },
];

/** The allowlist's columns, with an actions column when entries can be changed. */
export function allowlistColumns(actions?: (entry: AllowlistEntryView) => ReactNode): Columns<AllowlistEntryView> {
  if (!actions) return columns;
  return [
    ...columns,
    {
      id: 'actions',
      header: 'Actions',
      meta: { cellClassName: 'entry-actions' },
      cell: ({ row }) => actions(row.original),
    },
  ];
}
