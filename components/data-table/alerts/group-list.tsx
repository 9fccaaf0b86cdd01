'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import type { MouseEvent } from 'react';
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
  selected,
  onSelect,
}: {
  query: AlertListQuery;
  group: AlertGroupField;
  groups: AlertGroup[];
  expanded: ExpandedGroup[];
  /** The ticked groups' keys, when groups can be changed in bulk. */
  selected?: ReadonlySet<string>;
  onSelect?: (keys: string[], ticked: boolean) => void;
}) {
  const router = useRouter();
  const open = new Map(expanded.map((entry) => [entry.key, entry]));
  const selectable = groups.filter((entry) => entry.key !== null).map((entry) => entry.key!);
  // The whole line opens its group; the controls inside it keep their own click.
  const openOnClick = (href: string) => (event: MouseEvent<HTMLDivElement>) => {
    if ((event.target as HTMLElement).closest('a, button, input, label, select')) return;
    router.push(href, { scroll: false });
  };
  if (groups.length === 0) return <p className="muted empty-row">No alerts match.</p>;
  return (
    <>
      {selected && onSelect && selectable.length ? (
        <label className="checkbox group-select-all">
          <input
            type="checkbox"
            checked={selectable.every((key) => selected.has(key))}
            ref={(input) => {
              if (input)
                input.indeterminate =
                  selectable.some((key) => selected.has(key)) && !selectable.every((key) => selected.has(key));
            }}
            onChange={(event) => onSelect(selectable, event.target.checked)}
          />
          Select every group
        </label>
      ) : null}
      <ul className="group-list" aria-label={`Alerts grouped by ${groupLabels[group].toLowerCase()}`}>
        {groups.map((entry) => {
          const key = entry.key;
          const opened = key === null ? undefined : open.get(key);
          const nextExpand =
            key === null ? [] : opened ? [...open.keys()].filter((k) => k !== key) : [...open.keys(), key];
          const toggleHref = formatAlertQueueHref({ ...query, page: 1 }, { group, expand: nextExpand });
          return (
            <li key={key ?? '(none)'} className="group-row">
              <div
                className={key === null ? 'group-head' : 'group-head group-head-link'}
                onClick={key === null ? undefined : openOnClick(toggleHref)}
              >
                {selected && onSelect ? (
                  key === null ? (
                    <span className="group-select" />
                  ) : (
                    <input
                      type="checkbox"
                      className="group-select"
                      aria-label={`Select the ${formatCount(entry.count)} alert(s) of ${entry.label}`}
                      checked={selected.has(key)}
                      onChange={(event) => onSelect([key], event.target.checked)}
                    />
                  )
                ) : null}
                {key === null ? (
                  <span className="group-toggle muted">·</span>
                ) : (
                  <Link
                    className="group-toggle"
                    href={toggleHref}
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
    </>
  );
}
