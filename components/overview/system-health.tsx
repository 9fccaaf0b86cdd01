import type { HealthReport } from '@/lib/health/check-health';

/** The database, its migrations and the worker, each up or down with why. */
export function SystemHealth({ health }: { health: HealthReport }) {
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
  );
}
