import type pg from 'pg';

/** The clusters alerts were raised in, for the queue's cluster filter. */
export async function listAlertClusters(pool: pg.Pool): Promise<string[]> {
  const result = await pool.query<{ cluster: string }>(
    `SELECT DISTINCT cluster FROM alerts WHERE cluster IS NOT NULL AND cluster <> '' ORDER BY cluster LIMIT 500`,
  );
  return result.rows.map((row) => row.cluster);
}
