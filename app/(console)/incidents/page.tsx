import Link from 'next/link';
import { connection } from 'next/server';
import { PageHeader } from '@/components/page-header';
import { LinkTabs } from '@/components/ui/link-tabs';
import { listAssignees } from '@/lib/alerts/list-assignees';
import { requirePageActor } from '@/lib/auth/require-actor';
import { roleAllows } from '@/lib/auth/roles';
import { getPool } from '@/lib/db/pool';
import { listIncidents } from '@/lib/incidents/list-incidents';
import {
  formatIncidentQueueHref,
  incidentListQuerySchema,
  incidentStatuses,
  SEVERITIES,
} from '@/lib/incidents/schemas';
import { IncidentQueue } from './client';
import './incidents.css';

export const metadata = { title: 'Incidents' };

type PageParams = Record<string, string | string[] | undefined>;

export default async function IncidentsPage({ searchParams }: { searchParams: Promise<PageParams> }) {
  const actor = await requirePageActor();
  await connection();
  const raw = await searchParams;
  const first = Object.fromEntries(
    Object.entries(raw).flatMap(([key, value]) => {
      const text = Array.isArray(value) ? value[0] : value;
      return text === undefined || text === '' ? [] : [[key, text]];
    }),
  );
  const query = incidentListQuerySchema.safeParse(first);
  if (!query.success) {
    return (
      <>
        <PageHeader title="Incidents" />
        <section className="panel" role="alert">
          <p className="error-text">This filter cannot be read: {query.error.issues[0]?.message}</p>
          <Link href="/incidents">Open the queue without filters</Link>
        </section>
      </>
    );
  }
  const pool = getPool();
  const [page, assignees] = await Promise.all([listIncidents(pool, query.data), listAssignees(pool)]);
  const tabs = [
    {
      key: 'all',
      status: undefined,
      label: 'All',
      count: page.counts.open + page.counts.acknowledged + page.counts.closed,
    },
    ...incidentStatuses.map((status) => ({ key: status, status, label: status, count: page.counts[status] })),
  ].map((tab) => ({
    key: tab.key,
    href: formatIncidentQueueHref({ ...query.data, status: tab.status, page: 1 }),
    current: query.data.status === tab.status,
    content: (
      <>
        {tab.label} <span className="tab-count">{tab.count}</span>
      </>
    ),
  }));
  return (
    <>
      <PageHeader
        title="Incidents"
        description="Alerts joined into one story per attacker: the same pod, its service account's token, a user from one address."
      />
      <LinkTabs label="Incident status" tabs={tabs} />
      <form className="panel incident-filters" method="get" action="/incidents">
        {query.data.status ? <input type="hidden" name="status" value={query.data.status} /> : null}
        <label>
          Search <input name="q" defaultValue={query.data.q ?? ''} placeholder="user, pod, IP, secret" />
        </label>
        <label>
          Severity{' '}
          <select name="severity" defaultValue={query.data.severity ?? ''}>
            <option value="">any</option>
            {SEVERITIES.map((severity) => (
              <option key={severity} value={severity}>
                {severity}
              </option>
            ))}
          </select>
        </label>
        <label>
          Assignee{' '}
          <select name="assignee" defaultValue={query.data.assignee ?? ''}>
            <option value="">anyone</option>
            <option value="none">unassigned</option>
            {assignees.map((assignee) => (
              <option key={assignee.id} value={assignee.id}>
                {assignee.email}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Filter</button>
      </form>
      <IncidentQueue query={query.data} page={page} canTriage={roleAllows(actor.role, 'triage')} />
    </>
  );
}
