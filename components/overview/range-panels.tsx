import Link from 'next/link';
import { outcomeLabels, outcomeSeries } from '@/components/charts/outcome-colors';
import { ingestSourceColors, severityColors } from '@/components/charts/series-colors';
import { TimeBucketChart } from '@/components/charts/time-bucket-chart';
import { OpenByRuleTable } from '@/components/data-table/rules/open-by-rule-table';
import { TriageTable } from '@/components/data-table/rules/triage-table';
import { formatCount } from '@/components/format-number';
import { TimeRangeForm } from '@/components/time-range-form';
import { formatAlertQueueHref } from '@/lib/alerts/schemas';
import { OVERVIEW_DEFAULT_DAYS, type Overview, type OverviewRange } from '@/lib/overview/read-overview';
import { TopEntities } from './top-entities';

// Most severe first: the legend reads critical → low, and critical sits at the bottom of each stack.
const severitySeries = (['critical', 'high', 'medium', 'low'] as const).map((severity) => ({
  key: severity,
  label: severity,
  color: severityColors[severity],
}));

const ingestSeries = (['upload', 'webhook', 'cli', 'demo'] as const).map((source) => ({
  key: source,
  label: source,
  color: ingestSourceColors[source],
}));

/** Everything on the overview that follows its time range. */
export function RangePanels({ range, overview }: { range: OverviewRange; overview: Overview }) {
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
            series={severitySeries}
          />
        )}
        <p className="muted small overview-note">
          {formatCount(alertsOverTime.total)} alert{alertsOverTime.total === 1 ? '' : 's'}, each in the bucket of its
          first event. <Link href={formatAlertQueueHref({ filter: rangeFilter })}>Open them in the queue</Link>
        </p>
      </section>

      <div className="overview-grid">
        <section className="panel" aria-label="Open alerts by rule">
          <h2>Open alerts by rule</h2>
          {openAlertsByRule.length === 0 ? (
            <p className="muted">No open or acknowledged alerts in this range.</p>
          ) : (
            <OpenByRuleTable rows={openAlertsByRule} range={rangeFilter} />
          )}
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
            {formatCount(secretAccess.totals.allowed)} allowed · {formatCount(secretAccess.totals.forbidden)} forbidden
            · {formatCount(secretAccess.totals.other)} {outcomeLabels.other}
          </p>
        </section>
      </div>

      <TopEntities top={topEntities} range={rangeFilter} />

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
            series={ingestSeries}
          />
        )}
        <p className="muted small overview-note">
          {formatCount(ingestVolume.total)} events stored, placed by when their batch started (not by their event
          times). <Link href="/uploads">Uploads</Link>
        </p>
      </section>

      <section className="panel" aria-label="Triage by rule">
        <h2>Triage by rule</h2>
        <TriageTable rows={triageByRule} />
        <p className="muted small overview-note">
          Over the alerts in this range, from when each was raised to its first move to acknowledged, or to closed.
        </p>
      </section>
    </>
  );
}
