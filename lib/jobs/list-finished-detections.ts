// Detection work finished in the last days, as the Jobs page keeps it: graphile-worker deletes a
// job once done, so each run is read from the rule runs it recorded (one transaction, one time),
// with the uploads whose events lie in its range.
import type pg from 'pg';

export type FinishedDetection = {
  finishedAt: string;
  rangeFrom: string;
  rangeTo: string;
  rules: number;
  eventsScanned: number;
  alertsCreated: number;
  alertsUpdated: number;
  errors: number;
  /** The newest uploads (at most 3) that started before it and whose events overlap its range. */
  uploads: { id: string; name: string }[];
};

export const FINISHED_DAYS = 7;

export async function listFinishedDetections(pool: pg.Pool, limit = 100): Promise<FinishedDetection[]> {
  const result = await pool.query<{
    finished_at: Date;
    range_from: Date;
    range_to: Date;
    rules: number;
    events_scanned: number;
    alerts_created: number;
    alerts_updated: number;
    errors: number;
    uploads: { id: string; name: string }[] | null;
  }>(
    `WITH runs AS (
       SELECT r.finished_at, r.range_from, r.range_to, count(*)::int AS rules,
           sum(r.events_scanned)::int AS events_scanned, sum(r.alerts_created)::int AS alerts_created,
           sum(r.alerts_updated)::int AS alerts_updated, count(r.error)::int AS errors
         FROM rule_runs r
        WHERE r.finished_at >= now() - make_interval(days => $1)
        GROUP BY r.finished_at, r.range_from, r.range_to
        ORDER BY r.finished_at DESC, r.range_from DESC
        LIMIT $2
     )
     SELECT runs.*, u.uploads FROM runs
       LEFT JOIN LATERAL (
         SELECT json_agg(json_build_object('id', b.id, 'name', b.name) ORDER BY b.started_at DESC) AS uploads
           FROM (SELECT b.id, coalesce(b.file_name, b.source::text || ' batch') AS name, b.started_at
                   FROM ingest_batches b
                  WHERE b.min_event_time < runs.range_to AND b.max_event_time >= runs.range_from
                    AND b.started_at <= runs.finished_at
                  ORDER BY b.started_at DESC LIMIT 3) b
       ) u ON true
      ORDER BY runs.finished_at DESC, runs.range_from DESC`,
    [FINISHED_DAYS, limit],
  );
  return result.rows.map((row) => ({
    finishedAt: row.finished_at.toISOString(),
    rangeFrom: row.range_from.toISOString(),
    rangeTo: row.range_to.toISOString(),
    rules: row.rules,
    eventsScanned: row.events_scanned,
    alertsCreated: row.alerts_created,
    alertsUpdated: row.alerts_updated,
    errors: row.errors,
    uploads: row.uploads ?? [],
  }));
}
