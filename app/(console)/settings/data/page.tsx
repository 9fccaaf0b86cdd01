import type { Metadata } from 'next';
import { formatUtc } from '@/lib/format-time';
import { PageHeader } from '@/components/page-header';
import { requirePageActor } from '@/lib/auth/require-actor';
import { getPool } from '@/lib/db/pool';
import { getEnv } from '@/lib/env';
import { readDataOverview } from '@/lib/storage/read-data-overview';
import { RetentionForm } from './client';
import './data.css';

export const metadata: Metadata = { title: 'Data' };

function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${Math.round(bytes / 1024)} kB`;
}

export default async function DataPage() {
  await requirePageActor('admin');
  const overview = await readDataOverview(getPool(), getEnv().VIGIL_RETENTION_DAYS);
  const { policy } = overview;
  const globalText =
    policy.days === null
      ? 'Raw events are kept until you set a period.'
      : `Raw events are kept for ${policy.days} day(s)${policy.source === 'environment' ? ' (VIGIL_RETENTION_DAYS)' : ''}.`;
  const drops = overview.nextRun.drops;
  return (
    <>
      <PageHeader
        title="Data"
        description="Raw events are dropped a day and a cluster at a time once they are older than their retention period. Alert evidence, its original JSON and the hourly rollups stay."
      />
      <section className="panel" aria-label="Retention">
        <h2>Retention</h2>
        <p>{globalText}</p>
        <RetentionForm
          scope="*"
          days={policy.source === 'setting' ? policy.days : null}
          label="Retention for every cluster"
        />
        <h3>Per cluster</h3>
        {/* One wrapper whatever it holds, so the form below keeps its place (and its answer) when a cluster is added. */}
        <div className="retention-clusters">
          {Object.keys(policy.clusters).length === 0 ? (
            <p className="muted">No cluster has a period of its own.</p>
          ) : (
            Object.entries(policy.clusters).map(([cluster, days]) => (
              <div key={cluster} className="retention-cluster">
                <strong>{cluster}</strong>
                <RetentionForm scope={cluster} days={days} label={`Retention for ${cluster}`} />
              </div>
            ))
          )}
        </div>
        <RetentionForm
          key="another-cluster"
          scope={null}
          days={null}
          label="Retention for another cluster"
          clusters={overview.clusters}
        />
      </section>
      <section className="panel" aria-label="Next retention run">
        <h2>Next run</h2>
        <p>
          {formatUtc(overview.nextRun.at)}:{' '}
          {drops.length === 0
            ? 'nothing to drop.'
            : `drops ${drops.length} (day, cluster) partition(s), ${formatBytes(drops.reduce((total, p) => total + p.bytes, 0))}: ${drops
                .slice(0, 6)
                .map((p) => `${p.day} ${p.cluster}`)
                .join(', ')}${drops.length > 6 ? ', …' : ''}.`}{' '}
          Oldest day stored: {overview.oldestDay ?? 'none yet'}.
        </p>
        {overview.runs.length > 0 ? (
          <ul className="plain-list" aria-label="Last retention runs">
            {overview.runs.map((run) => (
              <li key={String(run.startedAt)}>
                {formatUtc(run.startedAt.toISOString())}:{' '}
                {run.error ? `failed: ${run.error}` : `dropped ${run.dropped.length} partition(s)`}
              </li>
            ))}
          </ul>
        ) : null}
      </section>
      <section className="panel" aria-label="Disk used">
        <h2>Disk used: {formatBytes(overview.totalBytes)}</h2>
        <div className="table-scroll">
          <table className="data-usage" aria-label="Disk used per day and cluster">
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">All clusters</th>
                {overview.clusters.map((cluster) => (
                  <th scope="col" key={cluster}>
                    {cluster}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {overview.days.map((day) => (
                <tr key={day.day}>
                  <th scope="row">{day.day}</th>
                  <td>{formatBytes(day.bytes)}</td>
                  {overview.clusters.map((cluster) => (
                    <td key={cluster}>
                      {day.byCluster[cluster] === undefined ? '—' : formatBytes(day.byCluster[cluster]!)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
