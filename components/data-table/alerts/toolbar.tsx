'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { AssigneeOptions } from '@/components/alerts/assignee-options';
import { groupLabels } from '@/components/alerts/labels';
import { formatCount } from '@/components/format-number';
import { LinkTabs } from '@/components/ui/link-tabs';
import { formatUtcInput } from '@/lib/format-time';
import type { Assignee } from '@/lib/alerts/list-assignees';
import type { AlertPage } from '@/lib/alerts/list-alerts';
import { checkFilterForm } from '@/lib/search-params';
import {
  ALERT_FORM_LABELS,
  formatAlertQueueHref,
  formatAlertSearchParams,
  severities,
  type AlertGroupField,
  type AlertListQuery,
} from '@/lib/alerts/schemas';
import './alerts.css';

type View = { query: AlertListQuery; group: AlertGroupField | null };

/** The cluster filter: a choice of the clusters alerts were raised in (and the one in the URL). */
function ClusterFilter({ value, clusters }: { value: string | undefined; clusters: string[] }) {
  const choices = value && !clusters.includes(value) ? [value, ...clusters] : clusters;
  return (
    <label>
      Cluster
      <select name="cluster" defaultValue={value ?? ''}>
        <option value="">Any</option>
        {choices.map((cluster) => (
          <option key={cluster} value={cluster}>
            {cluster}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The queue's filters; a refused filter (`problem`, from the server) or a bad entry is said in the form, the values kept. */
export function AlertFilterForm({
  query,
  group,
  rules,
  assignees,
  clusters,
  currentUserId,
  problem = null,
}: View & {
  rules: { id: string; name: string }[];
  assignees: Assignee[];
  clusters: string[];
  currentUserId: string;
  problem?: string | null;
}) {
  const router = useRouter();
  const { filter } = query;
  const [error, setError] = useState<string | null>(problem);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const refused = checkFilterForm(form, ALERT_FORM_LABELS);
    setError(refused);
    if (refused) return;
    const params = new URLSearchParams();
    params.set('status', filter.status ?? 'all');
    for (const [name, value] of form) {
      if (typeof value === 'string' && value.trim()) params.append(name, value.trim());
    }
    if (group) params.set('group', group);
    router.push(`/alerts?${params}`);
  }
  const local = (iso?: string) => (iso ? formatUtcInput(iso) : '');
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
      <ClusterFilter value={filter.cluster} clusters={clusters} />
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
          <AssigneeOptions assignees={assignees} currentUserId={currentUserId} />
        </select>
      </label>
      <label>
        From (UTC)
        <input name="from" className="utc-input" defaultValue={local(filter.from)} placeholder="2026-12-01 00:00:00" />
      </label>
      <label>
        To (UTC)
        <input name="to" className="utc-input" defaultValue={local(filter.to)} placeholder="2026-12-01 23:59:59" />
      </label>
      <label>
        Withdrawn
        <select name="withdrawn" defaultValue={filter.withdrawn ?? ''} title="Alerts detection no longer raises">
          <option value="">Hidden</option>
          <option value="include">Shown too</option>
          <option value="only">Only these</option>
        </select>
      </label>
      {error ? (
        <p role="alert" className="error-text filter-error">
          {error}
        </p>
      ) : null}
      <div className="filter-buttons">
        <button type="submit">Apply</button>
        <Link href={`/alerts?status=${filter.status ?? 'all'}`}>Clear</Link>
      </div>
    </form>
  );
}

const statusTabs = [
  ['open', 'Open'],
  ['acknowledged', 'Acknowledged'],
  ['closed', 'Closed'],
  ['all', 'All'],
] as const;

function StatusTabs({ query, group, statusCounts }: View & { statusCounts: AlertPage['statusCounts'] }) {
  return (
    <LinkTabs
      label="Alert status"
      tabs={statusTabs.map(([status, label]) => ({
        key: status,
        href: formatAlertQueueHref(
          { ...query, filter: { ...query.filter, status: status === 'all' ? undefined : status }, page: 1 },
          { group },
        ),
        current: (query.filter.status ?? 'all') === status,
        content: (
          <>
            {label} <span className="tab-count">{formatCount(statusCounts[status])}</span>
          </>
        ),
      }))}
    />
  );
}

function GroupBy({ query, group }: View) {
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
function ExportLinks({ query }: { query: AlertListQuery }) {
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

/** Above the queue: the filter form, then the status tabs beside export and grouping. */
export function AlertQueueToolbar(
  props: View & {
    statusCounts: AlertPage['statusCounts'];
    rules: { id: string; name: string }[];
    assignees: Assignee[];
    clusters: string[];
    currentUserId: string;
  },
) {
  return (
    <>
      <section className="panel">
        <AlertFilterForm {...props} />
      </section>
      <div className="queue-toolbar">
        <StatusTabs {...props} />
        <div className="queue-actions">
          <ExportLinks query={props.query} />
          <GroupBy query={props.query} group={props.group} />
        </div>
      </div>
    </>
  );
}
