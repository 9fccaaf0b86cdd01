import { connection } from 'next/server';
import { PageHeader } from '@/components/page-header';
import { getDb } from '@/lib/db/client';
import { getPool } from '@/lib/db/pool';
import { ruleCatalog } from '@/lib/detections/registry';
import { listJobQueue } from '@/lib/jobs/list-jobs';
import { listRuleHealth } from '@/lib/rules/list-rule-health';
import { formatUtc } from '@/components/format-time';
import { requirePageActor } from '@/lib/auth/require-actor';

export const metadata = { title: 'Jobs' };

export default async function JobsPage() {
  await requirePageActor();
  await connection();
  const [queue, health] = await Promise.all([listJobQueue(getPool()), listRuleHealth(getDb())]);
  const names = new Map(ruleCatalog.map((rule) => [rule.id, rule.name]));
  return (
    <>
      <PageHeader
        title="Jobs"
        description="The background detection work: every ingest batch queues a detect job, and a pass over recent data runs every minute."
      />
      <section className="figures" aria-label="Job queue">
        {(['queued', 'running', 'retrying', 'failed'] as const).map((state) => (
          <div className="figure" key={state} data-state={state}>
            <span className="figure-value">{queue.counts[state].toLocaleString('en-US')}</span>
            <span className="figure-label">{state}</span>
          </div>
        ))}
      </section>

      <section className="panel" aria-label="Rule runs">
        <h2>Rules</h2>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Last run</th>
              <th scope="col">Duration</th>
              <th scope="col">Events scanned</th>
              <th scope="col">Alerts created</th>
              <th scope="col">Alerts updated</th>
              <th scope="col">Runs</th>
            </tr>
          </thead>
          <tbody>
            {health.map((rule) => (
              <tr key={rule.ruleId}>
                <td>
                  <strong>{names.get(rule.ruleId) ?? rule.ruleId}</strong>
                  <div className="muted small">{rule.ruleId}</div>
                </td>
                {rule.lastRun ? (
                  <>
                    <td className="nowrap">
                      {formatUtc(rule.lastRun.startedAt)}
                      {rule.lastRun.error ? <div className="error-text small">{rule.lastRun.error}</div> : null}
                    </td>
                    <td>{rule.lastRun.durationMs === null ? '—' : `${rule.lastRun.durationMs} ms`}</td>
                    <td>{rule.lastRun.eventsScanned.toLocaleString('en-US')}</td>
                    <td>{rule.lastRun.alertsCreated}</td>
                    <td>{rule.lastRun.alertsUpdated}</td>
                  </>
                ) : (
                  <td colSpan={5} className="muted">
                    Not run yet
                  </td>
                )}
                <td>{rule.runs.toLocaleString('en-US')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="panel" aria-label="Jobs in the queue">
        <h2>In the queue</h2>
        {queue.jobs.length === 0 ? (
          <p className="muted">No job is waiting, running or failed: everything ingested has been detected.</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">State</th>
                <th scope="col">Attempts</th>
                <th scope="col">Runs at</th>
                <th scope="col">Last error</th>
              </tr>
            </thead>
            <tbody>
              {queue.jobs.map((job) => (
                <tr key={job.id}>
                  <td>
                    <code>{job.task}</code>
                    {job.payloadRange ? <div className="muted small">{job.payloadRange}</div> : null}
                  </td>
                  <td>
                    <span className={`status status-${job.state}`}>{job.state}</span>
                  </td>
                  <td>
                    {job.attempts} / {job.maxAttempts}
                  </td>
                  <td className="nowrap">{formatUtc(job.runAt)}</td>
                  <td className="error-text small">{job.lastError ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
