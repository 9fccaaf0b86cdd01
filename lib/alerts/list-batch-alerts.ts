// What detection found in a batch's events: the alerts holding them as evidence, split into those
// raised after the batch began (new) and older ones its events joined (updated).
import type pg from 'pg';

export type BatchAlertLink = { id: string; ruleName: string };
export type BatchAlerts = { created: number; updated: number; links: (BatchAlertLink & { isNew: boolean })[] };

const LINKS_PER_BATCH = 5;

/** Per batch id; a batch no alert holds events of is absent. Withdrawn alerts count nowhere. */
export async function listBatchAlerts(pool: pg.Pool, batchIds: string[]): Promise<Map<string, BatchAlerts>> {
  if (batchIds.length === 0) return new Map();
  const result = await pool.query<{ batch_id: string; id: string; rule_name: string; is_new: boolean }>(
    `WITH held AS (
       SELECT v.batch_id, l.alert_id FROM evidence_audit_events v JOIN alert_events l ON l.event_id = v.id
        WHERE v.batch_id = ANY($1::uuid[])
       UNION
       SELECT v.batch_id, l.alert_id FROM evidence_file_events v JOIN alert_file_events l ON l.file_event_id = v.id
        WHERE v.batch_id = ANY($1::uuid[])
     )
     SELECT h.batch_id, a.id, r.name AS rule_name, a.created_at >= b.started_at AS is_new
       FROM held h JOIN alerts a ON a.id = h.alert_id JOIN rules r ON r.id = a.rule_id
       JOIN ingest_batches b ON b.id = h.batch_id
      WHERE a.withdrawn_at IS NULL
      ORDER BY h.batch_id, (a.created_at >= b.started_at) DESC, a.first_event_at, a.id`,
    [batchIds],
  );
  const found = new Map<string, BatchAlerts>();
  for (const row of result.rows) {
    const entry = found.get(row.batch_id) ?? { created: 0, updated: 0, links: [] };
    if (row.is_new) entry.created++;
    else entry.updated++;
    if (entry.links.length < LINKS_PER_BATCH)
      entry.links.push({ id: row.id, ruleName: row.rule_name, isNew: row.is_new });
    found.set(row.batch_id, entry);
  }
  return found;
}
