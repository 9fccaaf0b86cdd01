'use client';

import Link from 'next/link';
import { groupLabels, SeverityBadge } from '@/components/alerts/labels';
import { formatCount } from '@/components/format-number';
import { formatUtc } from '@/lib/format-time';
import type { AlertGroup, AlertRow } from '@/lib/alerts/list-alerts';
import { formatAlertQueueHref, type AlertGroupField, type AlertListQuery } from '@/lib/alerts/schemas';
import { AlertTable } from './alert-table';
import '../data-table.css';
import './alerts.css';

/** A group the URL asks to open, with its first page of alerts. */
export type ExpandedGroup = { key: string; rows: AlertRow[]; total: number; href: string };

/** The queue grouped by one field: a line per group, opened in place through the URL. */
export function AlertGroupList({
  query,
  group,
  groups,
  expanded,
}: {
  query: AlertListQuery;
  group: AlertGroupField;
  groups: AlertGroup[];
  expanded: ExpandedGroup[];
}) {
  const open = new Map(expanded.map((entry) => [entry.key, entry]));
  if (groups.length === 0) return <p className="muted empty-row">No alerts match.</p>;
  return (
    <ul className="group-list" aria-label={`Alerts grouped by ${groupLabels[group].toLowerCase()}`}>
      {groups.map((entry) => {
        const key = entry.key;
        const opened = key === null ? undefined : open.get(key);
        const nextExpand =
          key === null ? [] : opened ? [...open.keys()].filter((k) => k !== key) : [...open.keys(), key];
        return (
          <li key={key ?? '(none)'} className="group-row">
            <div className="group-head">
              {key === null ? (
                <span className="group-toggle muted">·</span>
              ) : (
                <Link
                  className="group-toggle"
                  href={formatAlertQueueHref({ ...query, page: 1 }, { group, expand: nextExpand })}
                  aria-expanded={Boolean(opened)}
                  aria-label={`${opened ? 'Collapse' : 'Expand'} ${entry.label}`}
                  scroll={false}
                >
                  {opened ? '▾' : '▸'}
                </Link>
              )}
              <span className="group-label clip-text" title={entry.label}>
                {entry.label}
              </span>
              <span className="badge group-count">{formatCount(entry.count)}</span>
              <span className="muted small">
                {entry.open} open · highest <SeverityBadge severity={entry.highestSeverity} /> · last{' '}
                {formatUtc(entry.lastEventAt)}
              </span>
            </div>
            {opened ? (
              <div className="group-body">
                <AlertTable rows={opened.rows} query={query} group={group} label={`Alerts of ${entry.label}`} />
                {opened.total > opened.rows.length ? (
                  <Link href={opened.href}>All {opened.total} alerts of this group →</Link>
                ) : null}
              </div>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
