import { connection } from 'next/server';
import { FinishedDetectionsTable } from '@/components/data-table/jobs/finished-detections-table';
import { JobQueueTable } from '@/components/data-table/jobs/job-queue-table';
import { RuleRunsTable } from '@/components/data-table/jobs/rule-runs-table';
import { formatCount } from '@/components/format-number';
import { PageHeader } from '@/components/page-header';
import { Figures } from '@/components/ui/figures';
import { getDb } from '@/lib/db/client';
import { getPool } from '@/lib/db/pool';
import { ruleCatalog } from '@/lib/detections/registry';
import { FINISHED_DAYS, listFinishedDetections } from '@/lib/jobs/list-finished-detections';
import { listJobQueue } from '@/lib/jobs/list-jobs';
import { listRuleHealth } from '@/lib/rules/list-rule-health';
import { requirePageActor } from '@/lib/auth/require-actor';

export const metadata = { title: 'Jobs' };

export default async function JobsPage() {
  await requirePageActor();
  await connection();
  const [queue, health, finished] = await Promise.all([
    listJobQueue(getPool()),
    listRuleHealth(getDb()),
    listFinishedDetections(getPool()),
  ]);
  const names = new Map(ruleCatalog.map((rule) => [rule.id, rule.name]));
  return (
    <>
      <PageHeader
        title="Jobs"
        description="The background detection work: every ingest batch queues a detect job, and a pass over recent data runs every minute."
      />
      <Figures
        label="Job queue"
        figures={(['queued', 'running', 'retrying', 'failed'] as const).map((state) => ({
          label: state,
          value: formatCount(queue.counts[state]),
          state,
        }))}
      />

      <section className="panel" aria-label="Rule runs">
        <h2>Rules</h2>
        <RuleRunsTable rows={health.map((rule) => ({ ...rule, name: names.get(rule.ruleId) ?? rule.ruleId }))} />
      </section>

      <section className="panel" aria-label="Jobs in the queue">
        <h2>In the queue</h2>
        {queue.jobs.length === 0 ? (
          <p className="muted">No job is waiting, running or failed: everything ingested has been detected.</p>
        ) : (
          <JobQueueTable rows={queue.jobs} />
        )}
      </section>

      <section className="panel" aria-label="Finished detection runs">
        <h2>Finished in the last {FINISHED_DAYS} days</h2>
        {finished.length === 0 ? (
          <p className="muted">No detection run finished in the last {FINISHED_DAYS} days.</p>
        ) : (
          <FinishedDetectionsTable rows={finished} />
        )}
      </section>
    </>
  );
}
