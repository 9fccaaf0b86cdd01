'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMemo, useState, useTransition, type FormEvent } from 'react';
import type { RowSelectionState } from '@tanstack/react-table';
import { closeReasonLabels, SeverityBadge, StatusBadge } from '@/components/alerts/labels';
import { DataTable, type Columns } from '@/components/data-table/data-table';
import { IpLink, PodLink, UserLink } from '@/components/entities/entity-link';
import { formatUtc } from '@/components/format-time';
import type { Assignee } from '@/lib/alerts/list-assignees';
import type { AlertGroup, AlertPage, AlertRow } from '@/lib/alerts/list-alerts';
import {
  closeReasons,
  formatAlertQueueHref,
  formatAlertSearchParams,
  severities,
  type AlertChange,
  type AlertFilter,
  type AlertGroupField,
  type AlertListQuery,
  type AlertSortField,
  type CloseReason,
} from '@/lib/alerts/schemas';
import { changeAlertsAction, type ActionResult } from './actions';

export type ExpandedGroup = { key: string; rows: AlertRow[]; total: number; href: string };

type QueueProps = {
  query: AlertListQuery;
  page: AlertPage | null;
  statusCounts: AlertPage['statusCounts'];
  group: AlertGroupField | null;
  groups: AlertGroup[] | null;
  expanded: ExpandedGroup[];
  rules: { id: string; name: string }[];
  assignees: Assignee[];
  canTriage: boolean;
  currentUserId: string;
};

const groupLabels: Record<AlertGroupField, string> = {
  rule: 'Rule',
  user: 'User',
  sourceIp: 'Source IP',
  pod: 'Pod',
};

function SortHeader({
  label,
  field,
  query,
  group,
}: {
  label: string;
  field: AlertSortField;
  query: AlertListQuery;
  group: AlertGroupField | null;
}) {
  const active = query.sort === field;
  const dir = active && query.dir === 'desc' ? 'asc' : 'desc';
  return (
    <Link
      href={formatAlertQueueHref({ ...query, sort: field, dir, page: 1 }, { group })}
      className="sort-link"
      aria-sort={active ? (query.dir === 'asc' ? 'ascending' : 'descending') : undefined}
    >
      {label}
      {active ? (query.dir === 'asc' ? ' ▲' : ' ▼') : ''}
    </Link>
  );
}

function EntityLink({ filter, children }: { filter: Partial<AlertFilter>; children: React.ReactNode }) {
  return (
    <Link
      href={formatAlertQueueHref({ filter: { status: undefined, ...filter } })}
      className="pivot"
      title="All alerts for this"
    >
      {children}
    </Link>
  );
}

function buildColumns(query: AlertListQuery, group: AlertGroupField | null, selectable: boolean): Columns<AlertRow> {
  const sortable = (label: string, field: AlertSortField) =>
    function Header() {
      return <SortHeader label={label} field={field} query={query} group={group} />;
    };
  const columns: Columns<AlertRow> = [
    {
      id: 'severity',
      header: sortable('Severity', 'severity'),
      cell: ({ row }) => <SeverityBadge severity={row.original.severity} />,
    },
    {
      id: 'rule',
      header: sortable('Alert', 'rule'),
      cell: ({ row }) => (
        <>
          <Link href={`/alerts/${row.original.id}`} className="alert-link">
            {row.original.ruleName}
          </Link>
          <div className="muted small">
            risk {row.original.riskScore}
            {row.original.secretNames.length
              ? ` · ${row.original.secretNames.length} secret(s): ${row.original.secretNames.slice(0, 3).join(', ')}${row.original.secretNames.length > 3 ? ' …' : ''}`
              : ''}
          </div>
        </>
      ),
    },
    {
      id: 'user',
      header: sortable('User', 'username'),
      cell: ({ row }) =>
        row.original.username ? <UserLink name={row.original.username} /> : <span className="muted">—</span>,
    },
    {
      id: 'sourceIp',
      header: 'Source IP',
      cell: ({ row }) =>
        row.original.sourceIp ? <IpLink ip={row.original.sourceIp} /> : <span className="muted">—</span>,
    },
    {
      id: 'pod',
      header: 'Pod / namespace',
      cell: ({ row }) => (
        <>
          {row.original.podName ? (
            <PodLink
              name={row.original.podName}
              username={row.original.username}
              namespace={row.original.username ? undefined : row.original.namespaces[0]}
            />
          ) : null}
          <div className="muted small">
            {row.original.namespaces.map((namespace, index) => (
              <span key={namespace}>
                {index ? ', ' : ''}
                <EntityLink filter={{ namespace }}>{namespace}</EntityLink>
              </span>
            ))}
          </div>
        </>
      ),
    },
    {
      id: 'status',
      header: sortable('Status', 'status'),
      cell: ({ row }) => <StatusBadge status={row.original.status} closeReason={row.original.closeReason} />,
    },
    {
      id: 'assignee',
      header: 'Assignee',
      cell: ({ row }) =>
        row.original.assignee ? (
          <span title={row.original.assignee.email}>{row.original.assignee.email}</span>
        ) : (
          <span className="muted">Unassigned</span>
        ),
    },
    {
      id: 'events',
      header: sortable('Events', 'eventCount'),
      cell: ({ row }) => row.original.eventCount,
    },
    {
      id: 'lastEventAt',
      header: sortable('Last event', 'lastEventAt'),
      cell: ({ row }) => <span className="nowrap small">{formatUtc(row.original.lastEventAt)}</span>,
    },
  ];
  if (!selectable) return columns;
  return [
    {
      id: 'select',
      header: ({ table }) => (
        <input
          type="checkbox"
          aria-label="Select every alert on this page"
          checked={table.getIsAllPageRowsSelected()}
          ref={(input) => {
            if (input) input.indeterminate = table.getIsSomePageRowsSelected();
          }}
          onChange={table.getToggleAllPageRowsSelectedHandler()}
        />
      ),
      cell: ({ row }) => (
        <input
          type="checkbox"
          aria-label={`Select alert ${row.original.ruleName} ${row.original.username ?? ''}`}
          checked={row.getIsSelected()}
          onChange={(event) => row.toggleSelected(event.target.checked)}
        />
      ),
    },
    ...columns,
  ];
}

export function AlertTable({
  rows,
  query,
  group,
  selection,
  onSelectionChange,
  label,
}: {
  rows: AlertRow[];
  query: AlertListQuery;
  group: AlertGroupField | null;
  selection?: RowSelectionState;
  onSelectionChange?: (selection: RowSelectionState) => void;
  label: string;
}) {
  const selectable = selection !== undefined && onSelectionChange !== undefined;
  const columns = useMemo(() => buildColumns(query, group, selectable), [query, group, selectable]);
  return (
    <DataTable
      columns={columns}
      rows={rows}
      getRowId={(row) => row.id}
      label={label}
      empty="No alerts match."
      className="alert-table"
      selection={selectable ? selection : undefined}
      onSelectionChange={selectable ? onSelectionChange : undefined}
    />
  );
}

function FilterBar({
  query,
  group,
  rules,
  assignees,
  currentUserId,
}: Pick<QueueProps, 'query' | 'group' | 'rules' | 'assignees' | 'currentUserId'>) {
  const router = useRouter();
  const { filter } = query;
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const params = new URLSearchParams();
    params.set('status', filter.status ?? 'all');
    for (const [name, value] of form) {
      if (typeof value === 'string' && value.trim()) params.append(name, value.trim());
    }
    if (group) params.set('group', group);
    router.push(`/alerts?${params}`);
  }
  const local = (iso?: string) => (iso ? iso.slice(0, 16) : '');
  return (
    <form className="filter-bar" aria-label="Alert filters" onSubmit={submit}>
      <label className="filter-wide">
        Search
        <input name="q" type="search" defaultValue={filter.q ?? ''} placeholder="rule, user, IP, pod, secret…" />
      </label>
      <label>
        Severity
        <select name="severity" defaultValue={filter.severity?.join(',') ?? ''}>
          <option value="">Any</option>
          {severities.map((severity) => (
            <option key={severity} value={severity}>
              {severity}
            </option>
          ))}
          <option value="high,critical">high or critical</option>
        </select>
      </label>
      <label>
        Rule
        <select name="rule" defaultValue={filter.rule?.[0] ?? ''}>
          <option value="">Any</option>
          {rules.map((rule) => (
            <option key={rule.id} value={rule.id}>
              {rule.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        User
        <input name="user" defaultValue={filter.user ?? ''} />
      </label>
      <label>
        Source IP
        <input name="sourceIp" defaultValue={filter.sourceIp ?? ''} />
      </label>
      <label>
        Pod
        <input name="pod" defaultValue={filter.pod ?? ''} />
      </label>
      <label>
        Namespace
        <input name="namespace" defaultValue={filter.namespace ?? ''} />
      </label>
      <label>
        Assignee
        <select name="assignee" defaultValue={filter.assignee ?? ''}>
          <option value="">Anyone</option>
          <option value="none">Unassigned</option>
          <option value={currentUserId}>Me</option>
          {assignees
            .filter((assignee) => assignee.id !== currentUserId)
            .map((assignee) => (
              <option key={assignee.id} value={assignee.id}>
                {assignee.email}
              </option>
            ))}
        </select>
      </label>
      <label>
        From (UTC)
        <input name="from" type="datetime-local" defaultValue={local(filter.from)} />
      </label>
      <label>
        To (UTC)
        <input name="to" type="datetime-local" defaultValue={local(filter.to)} />
      </label>
      <div className="filter-buttons">
        <button type="submit">Apply</button>
        <Link href={`/alerts?status=${filter.status ?? 'all'}`}>Clear</Link>
      </div>
    </form>
  );
}

function StatusTabs({ query, statusCounts, group }: Pick<QueueProps, 'query' | 'statusCounts' | 'group'>) {
  const tabs = [
    ['open', 'Open'],
    ['acknowledged', 'Acknowledged'],
    ['closed', 'Closed'],
    ['all', 'All'],
  ] as const;
  return (
    <nav className="tabs" aria-label="Alert status">
      {tabs.map(([status, label]) => {
        const selected = (query.filter.status ?? 'all') === status;
        return (
          <Link
            key={status}
            href={formatAlertQueueHref(
              { ...query, filter: { ...query.filter, status: status === 'all' ? undefined : status }, page: 1 },
              { group },
            )}
            aria-current={selected ? 'true' : undefined}
            className="tab"
          >
            {label} <span className="tab-count">{statusCounts[status].toLocaleString('en')}</span>
          </Link>
        );
      })}
    </nav>
  );
}

function GroupBy({ query, group }: Pick<QueueProps, 'query' | 'group'>) {
  const router = useRouter();
  return (
    <label className="group-by">
      Group by{' '}
      <select
        value={group ?? ''}
        onChange={(event) =>
          router.push(
            formatAlertQueueHref({ ...query, page: 1 }, { group: (event.target.value || null) as AlertGroupField }),
          )
        }
      >
        <option value="">Nothing</option>
        {(Object.keys(groupLabels) as AlertGroupField[]).map((field) => (
          <option key={field} value={field}>
            {groupLabels[field]}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Downloads of every alert the filter selects, all pages, in the queue's order (the session cookie authorizes them). */
function ExportLinks({ query }: Pick<QueueProps, 'query'>) {
  const href = (format: 'csv' | 'ndjson') => {
    const params = formatAlertSearchParams({ filter: query.filter, sort: query.sort, dir: query.dir });
    params.set('format', format);
    return `/api/v1/alerts/export?${params}`;
  };
  return (
    <div className="export-links" aria-label="Export the alerts matching the filter" role="group">
      <a href={href('csv')} download title="Every alert matching the filter, all pages, as CSV">
        Export CSV
      </a>
      <a href={href('ndjson')} download title="Every alert matching the filter, all pages, as NDJSON">
        Export NDJSON
      </a>
    </div>
  );
}

type BulkTarget = { kind: 'ids'; ids: string[] } | { kind: 'filter'; total: number };

function BulkBar({
  target,
  query,
  assignees,
  currentUserId,
  onDone,
}: {
  target: BulkTarget;
  query: AlertListQuery;
  assignees: Assignee[];
  currentUserId: string;
  onDone: (result: ActionResult) => void;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [status, setStatus] = useState('');
  const [result, setResult] = useState<ActionResult | null>(null);
  const count = target.kind === 'ids' ? target.ids.length : target.total;
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const change: Partial<AlertChange> = {};
    const nextStatus = String(form.get('status') ?? '');
    if (nextStatus) change.status = nextStatus as AlertChange['status'];
    if (nextStatus === 'closed') change.closeReason = String(form.get('closeReason')) as CloseReason;
    const assignee = String(form.get('assignee') ?? '');
    if (assignee === 'none') change.assigneeId = null;
    else if (assignee) change.assigneeId = assignee;
    const note = String(form.get('note') ?? '').trim();
    if (note) change.note = note;
    const body =
      target.kind === 'ids' ? { ids: target.ids, change } : { filter: query.filter, change: change as AlertChange };
    startTransition(async () => {
      const outcome = await changeAlertsAction(body);
      if (outcome.ok) {
        onDone(outcome);
        router.refresh();
      } else setResult(outcome);
    });
  }
  return (
    <form className="bulk-bar" aria-label="Change selected alerts" onSubmit={submit}>
      <strong>
        {count.toLocaleString('en')} alert(s){target.kind === 'filter' ? ' matching the filter' : ' selected'}
      </strong>
      <label>
        Status
        <select name="status" value={status} onChange={(event) => setStatus(event.target.value)}>
          <option value="">No change</option>
          <option value="acknowledged">Acknowledge</option>
          <option value="closed">Close</option>
          <option value="open">Reopen</option>
        </select>
      </label>
      {status === 'closed' ? (
        <label>
          Reason
          <select name="closeReason" defaultValue="true_positive">
            {closeReasons.map((reason) => (
              <option key={reason} value={reason}>
                {closeReasonLabels[reason]}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label>
        Assignee
        <select name="assignee" defaultValue="">
          <option value="">No change</option>
          <option value={currentUserId}>Me</option>
          <option value="none">Unassign</option>
          {assignees
            .filter((assignee) => assignee.id !== currentUserId)
            .map((assignee) => (
              <option key={assignee.id} value={assignee.id}>
                {assignee.email}
              </option>
            ))}
        </select>
      </label>
      <label className="bulk-note">
        Note
        <input name="note" placeholder="Added to every alert's history" maxLength={10_000} />
      </label>
      <button type="submit" disabled={pending}>
        {pending ? 'Applying…' : 'Apply'}
      </button>
      {result ? (
        <span role="status" className={result.ok ? 'ok-text' : 'error-text'}>
          {result.message}
        </span>
      ) : null}
    </form>
  );
}

function Pager({ query, total, group }: { query: AlertListQuery; total: number; group: AlertGroupField | null }) {
  const pages = Math.max(1, Math.ceil(total / query.pageSize));
  const first = total === 0 ? 0 : (query.page - 1) * query.pageSize + 1;
  const last = Math.min(total, query.page * query.pageSize);
  return (
    <nav className="pager" aria-label="Pages">
      <span className="muted">
        {first.toLocaleString('en')}–{last.toLocaleString('en')} of {total.toLocaleString('en')}
      </span>
      {query.page > 1 ? (
        <Link href={formatAlertQueueHref({ ...query, page: query.page - 1 }, { group })}>← Previous</Link>
      ) : null}
      <span>
        Page {query.page} of {pages.toLocaleString('en')}
      </span>
      {query.page < pages ? (
        <Link href={formatAlertQueueHref({ ...query, page: query.page + 1 }, { group })}>Next →</Link>
      ) : null}
      <span className="page-size">
        Per page:{' '}
        {[25, 50, 100].map((size) =>
          size === query.pageSize ? (
            <strong key={size}>{size}</strong>
          ) : (
            <Link key={size} href={formatAlertQueueHref({ ...query, pageSize: size, page: 1 }, { group })}>
              {size}
            </Link>
          ),
        )}
      </span>
    </nav>
  );
}

function GroupList({
  query,
  group,
  groups,
  expanded,
}: Pick<QueueProps, 'query' | 'expanded'> & {
  group: AlertGroupField;
  groups: AlertGroup[];
}) {
  const open = new Map(expanded.map((entry) => [entry.key, entry]));
  if (groups.length === 0) return <p className="muted empty-row">No alerts match.</p>;
  return (
    <ul className="group-list" aria-label={`Alerts grouped by ${groupLabels[group].toLowerCase()}`}>
      {groups.map((entry) => {
        const key = entry.key;
        const isOpen = key !== null && open.has(key);
        const nextExpand =
          key === null ? [] : isOpen ? [...open.keys()].filter((k) => k !== key) : [...open.keys(), key];
        return (
          <li key={key ?? '(none)'} className="group-row">
            <div className="group-head">
              {key === null ? (
                <span className="group-toggle muted">·</span>
              ) : (
                <Link
                  className="group-toggle"
                  href={formatAlertQueueHref({ ...query, page: 1 }, { group, expand: nextExpand })}
                  aria-expanded={isOpen}
                  aria-label={`${isOpen ? 'Collapse' : 'Expand'} ${entry.label}`}
                  scroll={false}
                >
                  {isOpen ? '▾' : '▸'}
                </Link>
              )}
              <span className="group-label">{entry.label}</span>
              <span className="badge group-count">{entry.count.toLocaleString('en')}</span>
              <span className="muted small">
                {entry.open} open · highest <SeverityBadge severity={entry.highestSeverity} /> · last{' '}
                {formatUtc(entry.lastEventAt)}
              </span>
            </div>
            {isOpen ? (
              <div className="group-body">
                <AlertTable rows={open.get(key)!.rows} query={query} group={group} label={`Alerts of ${entry.label}`} />
                {open.get(key)!.total > open.get(key)!.rows.length ? (
                  <Link href={open.get(key)!.href}>All {open.get(key)!.total} alerts of this group →</Link>
                ) : null}
              </div>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

export function AlertQueue(props: QueueProps) {
  const { query, page, group, groups } = props;
  const [selection, setSelection] = useState<RowSelectionState>({});
  const [allMatching, setAllMatching] = useState(false);
  // Kept here: the bulk bar goes away with the selection it changed, its result must not.
  const [lastResult, setLastResult] = useState<ActionResult | null>(null);
  const selectedIds = Object.keys(selection).filter((id) => selection[id]);
  const pageIds = page?.rows.map((row) => row.id) ?? [];
  const wholePage = pageIds.length > 0 && pageIds.every((id) => selection[id]);
  const target: BulkTarget | null = allMatching
    ? { kind: 'filter', total: page?.total ?? 0 }
    : selectedIds.length
      ? { kind: 'ids', ids: selectedIds }
      : null;
  function reset() {
    setSelection({});
    setAllMatching(false);
  }
  return (
    <>
      <section className="panel">
        <FilterBar {...props} />
      </section>
      <div className="queue-toolbar">
        <StatusTabs {...props} />
        <div className="queue-actions">
          <ExportLinks query={query} />
          <GroupBy query={query} group={group} />
        </div>
      </div>
      <section className="panel queue" aria-label="Alert queue">
        {group && groups ? (
          <GroupList query={query} group={group} groups={groups} expanded={props.expanded} />
        ) : page ? (
          <>
            {props.canTriage && target ? (
              <>
                {wholePage && !allMatching && page.total > pageIds.length ? (
                  <p className="select-all-note">
                    All {pageIds.length} alerts on this page are selected.{' '}
                    <button type="button" className="link-button" onClick={() => setAllMatching(true)}>
                      Select all {page.total.toLocaleString('en')} alerts matching the filter
                    </button>
                  </p>
                ) : null}
                {allMatching ? (
                  <p className="select-all-note">
                    All {page.total.toLocaleString('en')} alerts matching the filter are selected.{' '}
                    <button type="button" className="link-button" onClick={reset}>
                      Clear selection
                    </button>
                  </p>
                ) : null}
                <BulkBar
                  target={target}
                  query={query}
                  assignees={props.assignees}
                  currentUserId={props.currentUserId}
                  onDone={(result) => {
                    reset();
                    setLastResult(result);
                  }}
                />
              </>
            ) : null}
            {lastResult && !target ? (
              <p role="status" className="ok-text bulk-result">
                {lastResult.message}
              </p>
            ) : null}
            <AlertTable
              rows={page.rows}
              query={query}
              group={null}
              label="Alerts"
              selection={props.canTriage ? selection : undefined}
              onSelectionChange={
                props.canTriage
                  ? (next) => {
                      setSelection(next);
                      setAllMatching(false);
                    }
                  : undefined
              }
            />
            <Pager query={query} total={page.total} group={null} />
          </>
        ) : null}
      </section>
    </>
  );
}
