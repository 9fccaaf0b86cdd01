import Link from 'next/link';
import { connection } from 'next/server';
import type { ExpandedGroup } from '@/components/data-table/alerts/group-list';
import { PageHeader } from '@/components/page-header';
import { listAlertClusters } from '@/lib/alerts/list-alert-clusters';
import { listAssignees } from '@/lib/alerts/list-assignees';
import { countAlertsByStatus } from '@/lib/alerts/count-alerts';
import { listAlertGroups, listAlerts, narrowToGroup, type AlertGroup, type AlertPage } from '@/lib/alerts/list-alerts';
import { AlertFilterForm } from '@/components/data-table/alerts/toolbar';
import {
  ALERT_FORM_LABELS,
  formatAlertQueueHref,
  parseAlertSearchParams,
  readTypedAlertQuery,
} from '@/lib/alerts/schemas';
import { formatFirstIssue } from '@/lib/format-first-issue';
import { requirePageActor } from '@/lib/auth/require-actor';
import { roleAllows } from '@/lib/auth/roles';
import { getDb } from '@/lib/db/client';
import { getPool } from '@/lib/db/pool';
import { listRules } from '@/lib/rules/list-rules';
import { AlertQueue } from './client';
import { readGroupParams, type PageParams } from './search-params';

export const metadata = { title: 'Alerts' };

export default async function AlertsPage({ searchParams }: { searchParams: Promise<PageParams> }) {
  const actor = await requirePageActor();
  await connection();
  const params = await searchParams;
  const query = parseAlertSearchParams(params);
  const pool = getPool();
  if (!query.success) {
    // The form stays, with what was typed and why it was refused: never a blank queue.
    const [rules, assignees, clusters] = await Promise.all([
      listRules(getDb()),
      listAssignees(pool),
      listAlertClusters(pool),
    ]);
    return (
      <>
        <PageHeader title="Alerts" />
        <section className="panel">
          <AlertFilterForm
            query={readTypedAlertQuery(params)}
            group={null}
            rules={rules.map((rule) => ({ id: rule.id, name: rule.name }))}
            assignees={assignees}
            clusters={clusters}
            currentUserId={actor.id}
            problem={`${formatFirstIssue(query.error, ALERT_FORM_LABELS)}.`}
          />
        </section>
        <p>
          <Link href="/alerts">Open the queue without filters</Link>
        </p>
      </>
    );
  }
  const { group, expand } = readGroupParams(params);
  const [page, rules, assignees, clusters] = await Promise.all([
    group ? null : listAlerts(pool, query.data),
    listRules(getDb()),
    listAssignees(pool),
    listAlertClusters(pool),
  ]);
  let groups: AlertGroup[] | null = null;
  let expanded: ExpandedGroup[] = [];
  let statusCounts: AlertPage['statusCounts'];
  if (group) {
    [statusCounts, groups] = await Promise.all([
      countAlertsByStatus(pool, query.data.filter),
      listAlertGroups(pool, query.data.filter, group),
    ]);
    expanded = await Promise.all(
      expand.map(async (key) => {
        const filter = narrowToGroup(query.data.filter, group, key);
        const rows = await listAlerts(pool, { ...query.data, filter, page: 1, pageSize: 25 });
        return { key, rows: rows.rows, total: rows.total, href: formatAlertQueueHref({ filter }) };
      }),
    );
  } else {
    statusCounts = page!.statusCounts;
  }
  return (
    <>
      <PageHeader
        title="Alerts"
        description="The triage queue. Filters, tabs, sorting and grouping live in the URL, so every view is a link."
      />
      <AlertQueue
        query={query.data}
        page={page}
        statusCounts={statusCounts}
        group={group ?? null}
        groups={groups}
        expanded={expanded}
        rules={rules.map((rule) => ({ id: rule.id, name: rule.name }))}
        assignees={assignees}
        clusters={clusters}
        canTriage={roleAllows(actor.role, 'triage')}
        currentUserId={actor.id}
      />
    </>
  );
}
