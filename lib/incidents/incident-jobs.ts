// The worker's incident step: after a detect (or rebuild) job changed alerts, one regrouping job is
// queued (one at a time: a burst of detect jobs coalesces into one regrouping).
import type pg from 'pg';
import { z } from 'zod';
import { getEnv } from '../env';
import { defineJob, enqueueJob } from '../jobs/define-job';
import { regroupIncidents } from './regroup-incidents';

export const regroupIncidentsJob = defineJob({
  name: 'incidents-regroup',
  payload: z.object({}),
  maxAttempts: 10,
  async run(_payload, { pool, log }) {
    const result = await regroupIncidents(pool, { gapHours: getEnv().VIGIL_INCIDENT_GAP_HOURS });
    if (result.created + result.changed + result.merged > 0)
      log(
        `incidents: ${result.created} created, ${result.changed} changed, ${result.merged} merged over ${result.alerts} alert(s)`,
      );
  },
});

/** Queues the regrouping (after a short delay, so a burst of detect jobs ends in one). */
export async function queueIncidentRegroup(pool: pg.Pool) {
  const client = await pool.connect();
  try {
    await enqueueJob(client, regroupIncidentsJob, {}, { jobKey: 'incidents-regroup', delayMs: 2_000 });
  } finally {
    client.release();
  }
}
