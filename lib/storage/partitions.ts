// The partitions of the event tables (audit_events, audit_event_originals, file_events): a day each,
// and within a day a cluster each (so retention drops a cluster's day whole). Created before rows are
// written (uploads of last year's logs included) and ahead of live data by the worker. There is no
// default partition: a row without one is refused, never dropped.
import pg from 'pg';

type Queryable = Pick<pg.Pool, 'query'>;

export type PartitionKey = { day: string; cluster: string };

// Partitions known to exist, per pool: a chunk of one day and cluster checks the database once.
const known = new WeakMap<Queryable, Set<string>>();

/** The UTC day of a time, YYYY-MM-DD. */
export function dayOf(time: string | Date): string {
  return (typeof time === 'string' ? new Date(time) : time).toISOString().slice(0, 10);
}

/** Makes sure every (day, cluster) has its partitions; returns how many were created. Outside any transaction. */
export async function ensurePartitions(db: Queryable, keys: Iterable<PartitionKey>): Promise<number> {
  const seen = known.get(db) ?? new Set<string>();
  known.set(db, seen);
  const missing = new Map<string, PartitionKey>();
  for (const key of keys) {
    const id = `${key.day}\u0000${key.cluster}`;
    if (!seen.has(id)) missing.set(id, key);
  }
  if (missing.size === 0) return 0;
  const sorted = [...missing.values()].sort((a, b) => a.day.localeCompare(b.day) || a.cluster.localeCompare(b.cluster));
  const result = await db.query<{ created: number }>(
    `SELECT coalesce(sum(vigil_ensure_partitions(day, cluster)), 0)::int AS created
       FROM unnest($1::date[], $2::text[]) AS k(day, cluster)`,
    [sorted.map((key) => key.day), sorted.map((key) => key.cluster)],
  );
  for (const id of missing.keys()) seen.add(id);
  return result.rows[0]!.created;
}

/** The (day, cluster) pairs of rows with a time and a cluster. */
export function partitionKeysOf(rows: Iterable<{ cluster: string; time: string | Date }>): PartitionKey[] {
  return [...rows].map((row) => ({ day: dayOf(row.time), cluster: row.cluster }));
}

/** Forgets what this process knew, after partitions were dropped (retention) or a write found one missing. */
export function forgetPartitions(db: Queryable) {
  known.delete(db);
}

/** PostgreSQL's answer to a row whose day or cluster has no partition. */
export function isMissingPartition(error: unknown): boolean {
  return (error as { code?: string }).code === '23514' && /no partition of relation/.test(String(error));
}

/** The event tables partitioned by (day, cluster). */
export const PARTITIONED_TABLES = ['audit_events', 'audit_event_originals', 'file_events'] as const;

export type StoredPartition = { day: string; cluster: string; bytes: number; rows: number };

/** Every (day, cluster) partition with its size on disk (all three tables) and estimated rows (audit_events). */
export async function listPartitions(db: Queryable): Promise<StoredPartition[]> {
  const result = await db.query<{ day: string; cluster: string; bytes: string; rows: string }>(
    `SELECT day, cluster, sum(bytes)::text AS bytes, sum(rows) FILTER (WHERE root = 'audit_events')::text AS rows
       FROM (SELECT root, to_date(substring(p.parentrelid::regclass::text from '_(\\d{8})$'), 'YYYYMMDD')::text AS day,
                    replace(substring(pg_get_expr(c.relpartbound, c.oid) from $$^FOR VALUES IN \\('(.*)'\\)$$), '''''', '''') AS cluster,
                    pg_total_relation_size(p.relid) AS bytes, greatest(c.reltuples, 0) AS rows
               FROM unnest($1::text[]) AS root, pg_partition_tree(root::regclass) p JOIN pg_class c ON c.oid = p.relid
              WHERE p.isleaf AND p.level = 2) leaves
      GROUP BY day, cluster ORDER BY day, cluster`,
    [PARTITIONED_TABLES],
  );
  return result.rows.map((row) => ({
    day: row.day,
    cluster: row.cluster,
    bytes: Number(row.bytes),
    rows: Number(row.rows ?? 0),
  }));
}

/**
 * Drops a (day, cluster) of every event table: each partition detached CONCURRENTLY (readers and writers
 * never wait on it) then dropped, and the day's table once it holds no cluster. Outside any transaction;
 * a run killed midway leaves each partition attached, detach-pending or detached, and finishDroppedPartitions
 * completes it.
 */
export async function dropPartition(db: Queryable, key: PartitionKey): Promise<void> {
  for (const root of PARTITIONED_TABLES) {
    const names = await db.query<{ day_table: string; leaf: string }>(
      `SELECT vigil_partition_name($1, $2::date, NULL) AS day_table, vigil_partition_name($1, $2::date, $3) AS leaf`,
      [root, key.day, key.cluster],
    );
    const { day_table: dayTable, leaf } = names.rows[0]!;
    const attached = await db.query(
      `SELECT 1 FROM pg_inherits WHERE inhrelid = to_regclass($1) AND inhparent = to_regclass($2)`,
      [leaf, dayTable],
    );
    if (attached.rows.length > 0)
      await db.query(
        `ALTER TABLE ${pg.escapeIdentifier(dayTable)} DETACH PARTITION ${pg.escapeIdentifier(leaf)} CONCURRENTLY`,
      );
    await db.query(`DROP TABLE IF EXISTS ${pg.escapeIdentifier(leaf)}`);
    const left = await db.query(`SELECT 1 FROM pg_inherits WHERE inhparent = to_regclass($1) LIMIT 1`, [dayTable]);
    if (left.rows.length === 0 && (await db.query(`SELECT to_regclass($1) AS t`, [dayTable])).rows[0]!.t !== null) {
      await db.query(
        `ALTER TABLE ${pg.escapeIdentifier(root)} DETACH PARTITION ${pg.escapeIdentifier(dayTable)} CONCURRENTLY`,
      );
      await db.query(`DROP TABLE IF EXISTS ${pg.escapeIdentifier(dayTable)}`);
    }
  }
  forgetPartitions(db);
}

/** What a killed run left: detaches still pending are finished, detached partitions dropped. Returns how many. */
export async function finishDroppedPartitions(db: Queryable): Promise<number> {
  const pending = await db.query<{ parent: string; child: string }>(
    `SELECT inhparent::regclass::text AS parent, inhrelid::regclass::text AS child FROM pg_inherits
      WHERE inhdetachpending AND inhrelid::regclass::text ~ $1`,
    [PARTITION_NAME],
  );
  for (const { parent, child } of pending.rows)
    await db.query(
      `ALTER TABLE ${pg.escapeIdentifier(parent)} DETACH PARTITION ${pg.escapeIdentifier(child)} FINALIZE`,
    );
  // Only retention detaches these tables: one standing alone is one it did not get to drop.
  const orphans = await db.query<{ name: string }>(
    `SELECT relname AS name FROM pg_class
      WHERE relname ~ $1 AND relkind IN ('r', 'p') AND NOT relispartition AND relnamespace = 'public'::regnamespace`,
    [PARTITION_NAME],
  );
  for (const { name } of orphans.rows) await db.query(`DROP TABLE IF EXISTS ${pg.escapeIdentifier(name)}`);
  if (orphans.rows.length > 0) forgetPartitions(db);
  return pending.rows.length + orphans.rows.length;
}

const PARTITION_NAME = `^(${PARTITIONED_TABLES.join('|')})_\\d{8}(_[0-9a-f]{10})?$`;
