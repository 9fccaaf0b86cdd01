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

/** What the two counts mean: they are never added together. */
export const HITS_MEANING =
  'Hits: audit events detection skipped because this entry matched them, added up by every detection run since the entry was saved.';
export const CLOSED_MEANING =
  'Alerts this entry closed as false positive when it was saved (each has a history row naming the entry).';

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
    header: () => (
      <abbr title={HITS_MEANING} className="column-help">
        Events skipped
      </abbr>
    ),
    meta: { cellClassName: 'nowrap' },
    cell: ({ row }) => (
      <span title={HITS_MEANING}>
        {formatCount(row.original.hitCount)}
        <div className="muted small">
          {row.original.lastHitAt ? `last ${formatUtc(row.original.lastHitAt)}` : 'none skipped yet'}
        </div>
      </span>
    ),
  },
  {
    id: 'alertsClosed',
    header: () => (
      <abbr title={CLOSED_MEANING} className="column-help">
        Alerts closed
      </abbr>
    ),
    meta: { cellClassName: 'nowrap' },
    cell: ({ row }) => <span title={CLOSED_MEANING}>{formatCount(row.original.alertsClosed)}</span>,
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
