import Link from 'next/link';
import { connection } from 'next/server';
import type pg from 'pg';
import { RangePanels } from '@/components/overview/range-panels';
import { RuleHealthPanel } from '@/components/overview/rule-health-panel';
import { SystemHealth } from '@/components/overview/system-health';
import { Totals } from '@/components/overview/totals';
import { PageHeader } from '@/components/page-header';
import { countAlertsByStatus } from '@/lib/alerts/count-alerts';
import { requirePageActor } from '@/lib/auth/require-actor';
import { getDb } from '@/lib/db/client';
import { getPool } from '@/lib/db/pool';
import { formatFirstIssue } from '@/lib/format-first-issue';
import { checkHealth } from '@/lib/health/check-health';
import { readOverviewCounts } from '@/lib/overview/read-overview-counts';
import {
  OVERVIEW_DEFAULT_DAYS,
  readOverview,
  resolveOverviewRange,
  type Overview,
  type OverviewRange,
} from '@/lib/overview/read-overview';
import { listRuleHealth } from '@/lib/rules/list-rule-health';
import { listRules } from '@/lib/rules/list-rules';
import { countOpenIncidents } from '@/lib/incidents/list-incidents';
import type { SearchParams } from '@/lib/search-params';
import { TimeRangeForm } from '@/components/time-range-form';
import { parseTimeRangeParams, readTypedTimeRange, TIME_RANGE_LABELS, type TimeRangeInput } from '@/lib/time-range';
import './overview.css';

export const metadata = { title: 'Overview' };

async function loadOverview(
  pool: pg.Pool,
  input: TimeRangeInput,
): Promise<{ ok: true; range: OverviewRange; overview: Overview } | { ok: false; error: string }> {
  const resolved = await resolveOverviewRange(pool, input);
  if (!resolved.ok) return resolved;
  return { ok: true, range: resolved.range, overview: await readOverview(pool, resolved.range) };
}

export default async function OverviewPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePageActor();
  await connection();
  const db = getDb();
  const params = await searchParams;
  const input = parseTimeRangeParams(params);
  const [counts, alertCounts, health, rules, ruleHealth, loaded, openIncidents] = await Promise.all([
    readOverviewCounts(db),
    countAlertsByStatus(getPool()),
    checkHealth(db),
    listRules(db),
    listRuleHealth(db),
    input.success
      ? loadOverview(getPool(), input.data)
      : ({ ok: false, error: formatFirstIssue(input.error, TIME_RANGE_LABELS) } as const),
    countOpenIncidents(getPool()),
  ]);
  return (
    <>
      <PageHeader title="Overview" description="What is in Vigil right now, and whether the system is healthy." />
      <Totals counts={counts} alerts={alertCounts} />
      <section className="panel" aria-label="Open incidents">
        <p>
          <Link href="/incidents?status=open">{openIncidents} open incident(s)</Link>: alerts joined into one story per
          attacker.
        </p>
      </section>
      <SystemHealth health={health} />
      {counts.auditEvents === 0 ? (
        <section className="panel empty-state">
          <h2>No audit events yet</h2>
          <p>
            Upload Kubernetes audit logs on the Uploads page, send them with <code>npx vigil ingest</code>, or point a
            cluster&apos;s audit webhook at Vigil once ingest lands.
          </p>
        </section>
      ) : null}
      {loaded.ok ? (
        <RangePanels range={loaded.range} overview={loaded.overview} />
      ) : (
        <section className="panel" aria-label="Time range">
          <h2>Time range</h2>
          <TimeRangeForm
            path="/"
            range={readTypedTimeRange(params)}
            anchor={null}
            defaultNote=""
            problem={`This time range cannot be used: ${loaded.error}.`}
          />
          <p>
            <Link href="/">Show the last {OVERVIEW_DEFAULT_DAYS} days of stored events instead</Link>
          </p>
        </section>
      )}
      <RuleHealthPanel rules={rules} health={ruleHealth} />
    </>
  );
}
