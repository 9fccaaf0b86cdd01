// How long raw events are kept (retention_settings): one period for every cluster ("*") and any
// cluster's own. Without a setting, VIGIL_RETENTION_DAYS; without that, everything is kept.
import type pg from 'pg';

export const ALL_CLUSTERS = '*';

export type RetentionPolicy = {
  /** Days for clusters without their own period; null: keep forever. */
  days: number | null;
  /** Where the global period comes from. */
  source: 'setting' | 'environment' | 'none';
  clusters: Map<string, number>;
};

type Queryable = Pick<pg.Pool, 'query'>;

export async function readRetentionPolicy(
  db: Queryable,
  environmentDays: number | undefined,
): Promise<RetentionPolicy> {
  const result = await db.query<{ scope: string; days: number }>(`SELECT scope, days FROM retention_settings`);
  const global = result.rows.find((row) => row.scope === ALL_CLUSTERS)?.days;
  return {
    days: global ?? environmentDays ?? null,
    source: global !== undefined ? 'setting' : environmentDays !== undefined ? 'environment' : 'none',
    clusters: new Map(result.rows.filter((row) => row.scope !== ALL_CLUSTERS).map((row) => [row.scope, row.days])),
  };
}

/** The period a cluster's events are kept for; null: forever. */
export function retentionDaysOf(policy: RetentionPolicy, cluster: string): number | null {
  return policy.clusters.get(cluster) ?? policy.days;
}

/** Sets (days) or removes (null) the period for every cluster ("*") or one. */
export async function writeRetentionSetting(
  db: Queryable,
  scope: string,
  days: number | null,
  actor: { id: string | null; name: string },
) {
  if (days === null) {
    await db.query(`DELETE FROM retention_settings WHERE scope = $1`, [scope]);
    return;
  }
  await db.query(
    `INSERT INTO retention_settings (scope, days, updated_by_id, updated_by, updated_at) VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (scope) DO UPDATE SET days = EXCLUDED.days, updated_by_id = EXCLUDED.updated_by_id,
       updated_by = EXCLUDED.updated_by, updated_at = now()`,
    [scope, days, actor.id, actor.name],
  );
}
