import { connection } from 'next/server';
import { ComingNext } from '@/components/coming-next';
import { PageHeader } from '@/components/page-header';
import { getDb } from '@/lib/db/client';
import { checkHealth } from '@/lib/health/check-health';
import { readOverviewCounts } from '@/lib/overview/read-overview-counts';
import { requirePageActor } from '@/lib/auth/require-actor';

export const metadata = { title: 'Overview' };

export default async function OverviewPage() {
  await requirePageActor();
  await connection();
  const db = getDb();
  const [counts, health] = await Promise.all([readOverviewCounts(db), checkHealth(db)]);
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
      <ComingNext
        items={[
          'Alerts over time by severity, and open alerts by rule',
          'Top users, source IPs and pods by alerts',
          'Allowed vs forbidden secret access over time, and ingest volume',
          'Rule health, time to acknowledge and to close, false-positive rate per rule',
        ]}
      />
    </>
  );
}
