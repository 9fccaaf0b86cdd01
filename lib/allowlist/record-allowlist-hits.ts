import type pg from 'pg';

/** Events an entry kept out of detection: how many, and the newest one's time. */
export type AllowlistHit = { count: number; last: Date };

/** Adds a detection run's hits to each entry's count, inside the caller's transaction. */
export async function recordAllowlistHits(client: pg.ClientBase, hits: ReadonlyMap<string, AllowlistHit>) {
  for (const [entryId, hit] of hits) {
    await client.query(
      `UPDATE allowlist_entries SET hit_count = hit_count + $2, last_hit_at = GREATEST(last_hit_at, $3) WHERE id = $1`,
      [entryId, hit.count, hit.last],
    );
  }
}
