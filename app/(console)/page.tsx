import Link from 'next/link';
import { connection } from 'next/server';
import { TimeBucketChart } from '@/components/charts/time-bucket-chart';
import { outcomeLabels, outcomeSeries } from '@/components/charts/outcome-colors';
import { ingestSourceColors, severityColors } from '@/components/charts/series-colors';
import { formatUtc } from '@/components/format-time';
import { PageHeader } from '@/components/page-header';
import { TimeRangeForm } from '@/components/time-range-form';
import { formatAlertQueueHref } from '@/lib/alerts/schemas';
import { requirePageActor } from '@/lib/auth/require-actor';
import { ipHref, podHref, userHref } from '@/lib/entities/entity-links';
import { getDb } from '@/lib/db/client';
import { getPool } from '@/lib/db/pool';
import { formatFirstIssue } from '@/lib/format-first-issue';
import { checkHealth } from '@/lib/health/check-health';
import { formatDuration } from '@/lib/overview/format-duration';
import { readOverviewCounts } from '@/lib/overview/read-overview-counts';
import {
  OVERVIEW_DEFAULT_DAYS,
  readOverview,
  resolveOverviewRange,
  type Overview,
  type OverviewRange,
} from '@/lib/overview/read-overview';
import { listRuleHealth, type RuleHealth } from '@/lib/rules/list-rule-health';
import { listRules, type RuleSummary } from '@/lib/rules/list-rules';
import { parseTimeRangeParams, type TimeRangeInput } from '@/lib/time-range';
import type pg from 'pg';
import './overview.css';

export const metadata = { title: 'Overview' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

async function loadOverview(
  pool: pg.Pool,
  input: TimeRangeInput,
): Promise<{ ok: true; range: OverviewRange; overview: Overview } | { ok: false; error: string }> {
  const resolved = await resolveOverviewRange(pool, input);
  if (!resolved.ok) return resolved;
  return { ok: true, range: resolved.range, overview: await readOverview(pool, resolved.range) };
}

export default async function OverviewPage({ searchParams }: { searchParams: SearchParams }) {
  await requirePageActor();
  await connection();
  const db = getDb();
  const input = parseTimeRangeParams(await searchParams);
  const [counts, health, rules, ruleHealth, loaded] = await Promise.all([
    readOverviewCounts(db),
    checkHealth(db),
    listRules(db),
    listRuleHealth(db),
    input.success
      ? loadOverview(getPool(), input.data)
      : ({ ok: false, error: formatFirstIssue(input.error) } as const),
  ]);
  const figures = [
    { label: 'Open alerts', value: counts.openAlerts },
    { label: 'Audit events', value: counts.auditEvents },
    { label: 'Container file events', value: counts.fileEvents },
    { label: 'Ingest batches', value: counts.ingestBatches },
    { label: 'Rules enabled', value: `${counts.rulesEnabled} of ${counts.rulesTotal}` },
  ];
  const checks = [
    {
      label: 'Database',
      ok: health.database.ok,
      detail: health.database.ok ? `answering in ${health.database.latencyMs} ms` : health.database.error,
    },
    {
      label: 'Migrations',
      ok: health.migrations.ok,
      detail: health.migrations.ok ? `${health.migrations.applied} applied` : health.migrations.error,
    },
    {
      label: 'Worker',
      ok: health.worker.ok,
      detail: health.worker.ok
        ? `${health.worker.workers} alive, heartbeat ${health.worker.ageSeconds} s ago`
        : health.worker.error,
    },
  ];
  return (
    <>
      <PageHeader title="Overview" description="What is in Vigil right now, and whether the system is healthy." />
      <section className="figures" aria-label="Totals">
        {figures.map((figure) => (
          <div className="figure" key={figure.label}>
            <span className="figure-value">
              {typeof figure.value === 'number' ? figure.value.toLocaleString('en-US') : figure.value}
            </span>
            <span className="figure-label">{figure.label}</span>
          </div>
        ))}
      </section>
      <section className="panel" aria-label="System health">
        <h2>System health</h2>
        <ul className="checks">
          {checks.map((check) => (
            <li key={check.label} data-ok={check.ok}>
              <span className="check-mark" aria-hidden="true">
                {check.ok ? '●' : '○'}
              </span>
              <strong>{check.label}</strong> <span className="muted">{check.detail}</span>
            </li>
          ))}
        </ul>
      </section>
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
        <section className="panel" role="alert" aria-label="Time range">
          <h2>Time range</h2>
          <p className="error-text">This time range cannot be used: {loaded.error}</p>
          <p>
            <Link href="/">Show the last {OVERVIEW_DEFAULT_DAYS} days of stored events instead</Link>
          </p>
        </section>
      )}
      <RuleHealthPanel rules={rules} health={ruleHealth} />
    </>
  );
}

function RangePanels({ range, overview }: { range: OverviewRange; overview: Overview }) {
  const rangeFilter = { from: overview.range.from, to: overview.range.to };
  const { alertsOverTime, openAlertsByRule, topEntities, secretAccess, ingestVolume, triageByRule } = overview;
  const secretTotal = secretAccess.totals.allowed + secretAccess.totals.forbidden + secretAccess.totals.other;
  return (
    <>
      <section className="panel" aria-label="Time range">
        <h2>Time range</h2>
        <TimeRangeForm
          path="/"
          range={range}
          anchor={range.latestEventAt}
          defaultNote={`the latest data: up to ${OVERVIEW_DEFAULT_DAYS} days, ending at the newest stored event`}
        />
      </section>

      <section className="panel" aria-label="Alerts over time">
        <h2>Alerts over time by severity</h2>
        {alertsOverTime.total === 0 ? (
          <p className="muted">No alerts overlap this range.</p>
        ) : (
          <TimeBucketChart
            label="Alerts over time by severity"
            buckets={alertsOverTime.buckets}
            bucketMinutes={range.bucketMinutes}
            series={(['low', 'medium', 'high', 'critical'] as const).map((severity) => ({
              key: severity,
              label: severity,
              color: severityColors[severity],
            }))}
          />
        )}
        <p className="muted small overview-note">
          {alertsOverTime.total.toLocaleString('en-US')} alert{alertsOverTime.total === 1 ? '' : 's'}, each in the
          bucket of its first event.{' '}
          <Link href={formatAlertQueueHref({ filter: rangeFilter })}>Open them in the queue</Link>
        </p>
      </section>

      <div className="overview-grid">
        <section className="panel" aria-label="Open alerts by rule">
          <h2>Open alerts by rule</h2>
          <OpenByRule rows={openAlertsByRule} rangeFilter={rangeFilter} />
        </section>
        <section className="panel" aria-label="Secret access over time">
          <h2>Allowed vs forbidden secret access</h2>
          {secretTotal === 0 ? (
            <p className="muted">No requests on secrets in this range.</p>
          ) : (
            <TimeBucketChart
              label="Secret access by outcome"
              buckets={secretAccess.buckets}
              bucketMinutes={range.bucketMinutes}
              series={outcomeSeries}
            />
          )}
          <p className="muted small overview-note">
            {secretAccess.totals.allowed.toLocaleString('en-US')} allowed ·{' '}
            {secretAccess.totals.forbidden.toLocaleString('en-US')} forbidden ·{' '}
            {secretAccess.totals.other.toLocaleString('en-US')} {outcomeLabels.other}
          </p>
        </section>
      </div>

      <section className="panel" aria-label="Top entities">
        <h2>Most alerted</h2>
        <div className="overview-top">
          <TopList
            title="Users"
            rows={topEntities.users.map((user) => ({
              key: user.name,
              label: user.name,
              href: userHref(user.name, rangeFilter),
              count: user.count,
            }))}
          />
          <TopList
            title="Source IPs"
            rows={topEntities.sourceIps.map((entry) => ({
              key: entry.ip,
              label: entry.ip,
              href: ipHref(entry.ip, rangeFilter),
              count: entry.count,
            }))}
          />
          <TopList
            title="Pods"
            rows={topEntities.pods.map((pod) => ({
              key: `${pod.namespace ?? ''}/${pod.name}`,
              label: pod.namespace === null ? pod.name : `${pod.namespace}/${pod.name}`,
              href:
                pod.namespace === null
                  ? formatAlertQueueHref({ filter: { pod: pod.name } })
                  : podHref(pod.namespace, pod.name, rangeFilter),
              count: pod.count,
            }))}
          />
        </div>
      </section>

      <section className="panel" aria-label="Ingest volume">
        <h2>Ingest volume</h2>
        {ingestVolume.total === 0 ? (
          <p className="muted">No batch started in this range.</p>
        ) : (
          <TimeBucketChart
            label="Events stored by source"
            buckets={ingestVolume.buckets}
            bucketMinutes={range.bucketMinutes}
            height={180}
            series={(['upload', 'webhook', 'cli', 'demo'] as const).map((source) => ({
              key: source,
              label: source,
              color: ingestSourceColors[source],
            }))}
          />
        )}
        <p className="muted small overview-note">
          {ingestVolume.total.toLocaleString('en-US')} events stored, placed by when their batch started (not by their
          event times). <Link href="/uploads">Uploads</Link>
        </p>
      </section>

      <section className="panel" aria-label="Triage by rule">
        <h2>Triage by rule</h2>
        <TriageTable rows={triageByRule} />
      </section>
    </>
  );
}

function OpenByRule({
  rows,
  rangeFilter,
}: {
  rows: Overview['openAlertsByRule'];
  rangeFilter: { from: string; to: string };
}) {
  if (rows.length === 0) return <p className="muted">No open or acknowledged alerts in this range.</p>;
  const most = Math.max(...rows.map((row) => row.open + row.acknowledged));
  return (
    <table className="table overview-bars">
      <thead>
        <tr>
          <th scope="col">Rule</th>
          <th scope="col" className="overview-number">
            Open
          </th>
          <th scope="col" className="overview-number">
            Ack&apos;d
          </th>
          <th scope="col" className="overview-bar-col">
            <span className="visually-hidden">Share</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.ruleId}>
            <td>
              <span className={`badge severity-${row.severity}`}>{row.severity}</span> {row.ruleName}
            </td>
            <td className="overview-number">
              <Link href={formatAlertQueueHref({ filter: { ...rangeFilter, status: 'open', rule: [row.ruleId] } })}>
                {row.open.toLocaleString('en-US')}
              </Link>
            </td>
            <td className="overview-number">
              <Link
                href={formatAlertQueueHref({ filter: { ...rangeFilter, status: 'acknowledged', rule: [row.ruleId] } })}
              >
                {row.acknowledged.toLocaleString('en-US')}
              </Link>
            </td>
            <td className="overview-bar-col" aria-hidden="true">
              <span className="overview-bar">
                <span className="overview-bar-open" style={{ width: `${(row.open / most) * 100}%` }} />
                <span className="overview-bar-ack" style={{ width: `${(row.acknowledged / most) * 100}%` }} />
              </span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function TopList({
  title,
  rows,
}: {
  title: string;
  rows: { key: string; label: string; href: string; count: number }[];
}) {
  const most = Math.max(1, ...rows.map((row) => row.count));
  return (
    <div className="overview-top-list">
      <h3>{title}</h3>
      {rows.length === 0 ? (
        <p className="muted small">None in this range.</p>
      ) : (
        <ol aria-label={`Top ${title} by alerts`}>
          {rows.map((row) => (
            <li key={row.key}>
              <Link href={row.href} className="pivot">
                {row.label}
              </Link>
              <span className="overview-count">{row.count.toLocaleString('en-US')}</span>
              <span className="overview-bar" aria-hidden="true">
                <span className="overview-bar-open" style={{ width: `${(row.count / most) * 100}%` }} />
              </span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

function TriageTable({ rows }: { rows: Overview['triageByRule'] }) {
  return (
    <>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col" className="overview-number">
              Alerts
            </th>
            <th scope="col">Time to acknowledge (median · p90)</th>
            <th scope="col">Time to close (median · p90)</th>
            <th scope="col">False-positive rate</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.ruleId}>
              <td>
                <Link href={formatAlertQueueHref({ filter: { rule: [row.ruleId] } })}>{row.ruleName}</Link>
                {row.enabled ? null : <span className="muted small"> · disabled</span>}
              </td>
              <td className="overview-number">{row.alerts.toLocaleString('en-US')}</td>
              <td className="nowrap">
                <Percentiles value={row.timeToAcknowledge} />
              </td>
              <td className="nowrap">
                <Percentiles value={row.timeToClose} />
              </td>
              <td className="nowrap">
                {row.falsePositiveRate === null ? (
                  <span className="muted">none closed</span>
                ) : (
                  <>
                    {Math.round(row.falsePositiveRate * 100)}%{' '}
                    <span className="muted small">
                      ({row.falsePositives} of {row.closed} closed)
                    </span>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small overview-note">
        Over the alerts in this range, from when each was raised to its first move to acknowledged, or to closed.
      </p>
    </>
  );
}

function Percentiles({ value }: { value: Overview['triageByRule'][number]['timeToClose'] }) {
  if (value.count === 0) return <span className="muted">—</span>;
  return (
    <>
      {formatDuration(value.medianSeconds)} · {formatDuration(value.p90Seconds)}{' '}
      <span className="muted small">(n = {value.count})</span>
    </>
  );
}

function RuleHealthPanel({ rules, health }: { rules: RuleSummary[]; health: RuleHealth[] }) {
  const names = new Map(rules.map((rule) => [rule.id, rule]));
  return (
    <section className="panel" aria-label="Rule health">
      <h2>Rule health</h2>
      {health.length === 0 ? (
        <p className="muted">
          No rules in the database yet: run <code>npx vigil seed</code>.
        </p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Last run</th>
              <th scope="col" className="overview-number">
                Events scanned
              </th>
              <th scope="col" className="overview-number">
                Alerts created · updated
              </th>
              <th scope="col" className="overview-number">
                Runs
              </th>
              <th scope="col" className="overview-number">
                Open · all alerts
              </th>
              <th scope="col">Error</th>
            </tr>
          </thead>
          <tbody>
            {health.map((entry) => {
              const rule = names.get(entry.ruleId);
              const run = entry.lastRun;
              return (
                <tr key={entry.ruleId} data-error={Boolean(run?.error)}>
                  <td>
                    <Link href={formatAlertQueueHref({ filter: { rule: [entry.ruleId] } })}>
                      {rule?.name ?? entry.ruleId}
                    </Link>
                    {rule && !rule.enabled ? <span className="muted small"> · disabled</span> : null}
                  </td>
                  <td className="nowrap small">
                    {run ? (
                      <>
                        {formatUtc(run.startedAt)}
                        {run.durationMs === null ? (
                          <span className="muted"> · still running</span>
                        ) : (
                          <span className="muted"> · {run.durationMs.toLocaleString('en-US')} ms</span>
                        )}
                      </>
                    ) : (
                      <span className="muted">not yet</span>
                    )}
                  </td>
                  <td className="overview-number">{run ? run.eventsScanned.toLocaleString('en-US') : '—'}</td>
                  <td className="overview-number">
                    {run
                      ? `${run.alertsCreated.toLocaleString('en-US')} · ${run.alertsUpdated.toLocaleString('en-US')}`
                      : '—'}
                  </td>
                  <td className="overview-number">{entry.runs.toLocaleString('en-US')}</td>
                  <td className="overview-number">
                    {entry.openAlerts.toLocaleString('en-US')} · {entry.totalAlerts.toLocaleString('en-US')}
                  </td>
                  <td className="wrap overview-error-cell">
                    {run?.error ? (
                      <span className="error-text overview-error">{run.error}</span>
                    ) : (
                      <span className="muted">none</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <p className="muted small overview-note">
        Every rule&apos;s latest run, whatever the range. Tune rules and preview them on the{' '}
        <Link href="/rules">Rules page</Link>.
      </p>
    </section>
  );
}
