// The detect jobs. Ingest marks what each chunk stored as pending for its cluster and queues that
// cluster's one detect job, pushed back while chunks keep coming but run no later than a cap after
// the first, so a stream of batches is detected in a few jobs instead of one per batch. The rebuild
// job recomputes a rule over everything after its settings changed.
import type pg from 'pg';
import { z } from 'zod';
import { defineJob, enqueueJob } from '../jobs/define-job';
import type { TimeRange } from './read-detection-input';
import { claimPendingDetection, markDetectionPending, releaseDetectionClaim } from './detect-pending';
import { rebuildDetection, runDetection } from './run-detection';
import { readRuleSettings } from '../rules/read-rule-settings';
import { queueIncidentRegroup } from '../incidents/incident-jobs';

export const detectJob = defineJob({
  name: 'detect',
  payload: z.object({ cluster: z.string() }),
  maxAttempts: 10,
  async run({ cluster }, { pool, log }, helpers) {
    const result = await detectPending(pool, cluster, helpers.job.id);
    if (result && result.created + result.updated + result.withdrawn > 0) await queueIncidentRegroup(pool);
    if (result && result.created + result.updated + result.withdrawn > 0)
      log(
        `detect ${cluster} ${result.from} → ${result.to}: ${result.created} alert(s) created, ${result.updated} updated, ${result.withdrawn} withdrawn`,
      );
  },
});

/** What the cluster's detect job does: take what its cluster has pending, detect it, let it go. */
export async function detectPending(pool: pg.Pool, cluster: string, jobId: string) {
  const range = await claimPendingDetection(pool, cluster, jobId);
  if (!range) return null;
  const result = await runDetection(pool, { ...range, cluster });
  await releaseDetectionClaim(pool, jobId);
  return result;
}

/** Inside the ingest chunk's transaction: detection of what the chunk stored of `cluster` is queued with it. */
export async function queueDetection(client: pg.ClientBase, cluster: string, range: TimeRange) {
  const runAt = await markDetectionPending(client, cluster, range);
  await enqueueJob(client, detectJob, { cluster }, { jobKey: `detect-${cluster}`, runAt });
}

export const rebuildJob = defineJob({
  name: 'detect-rebuild',
  payload: z.object({ ruleId: z.string() }),
  maxAttempts: 5,
  async run({ ruleId }, { pool, log }) {
    const client = await pool.connect();
    const setting = await readRuleSettings(client)
      .then((settings) => settings.find((candidate) => candidate.rule.id === ruleId))
      .finally(() => client.release());
    if (!setting?.enabled || setting.version === setting.detectedVersion) return;
    const result = await rebuildDetection(pool, { ruleIds: [ruleId] });
    if (result.created + result.updated + result.withdrawn > 0) await queueIncidentRegroup(pool);
    log(
      `rebuilt ${ruleId} (settings version ${setting.version}): ${result.created} alert(s) created, ${result.updated} updated, ${result.withdrawn} withdrawn`,
    );
  },
});

/** Queues a rebuild for every enabled rule whose detection state was built with other settings. */
export async function queueStaleRebuilds(pool: pg.Pool): Promise<number> {
  const client = await pool.connect();
  try {
    const stale = (await readRuleSettings(client)).filter(
      (setting) => setting.enabled && setting.version !== null && setting.version !== setting.detectedVersion,
    );
    for (const { rule } of stale)
      await enqueueJob(
        client,
        rebuildJob,
        { ruleId: rule.id },
        { jobKey: `detect-rebuild-${rule.id}`, jobKeyMode: 'preserve_run_at' },
      );
    return stale.length;
  } finally {
    client.release();
  }
}
