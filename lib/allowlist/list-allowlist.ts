import type pg from 'pg';
import type { AllowlistCondition } from './schemas';

/** An entry as the Allowlist page and the REST API show it (times as ISO strings). */
export type AllowlistEntryView = {
  id: string;
  ruleId: string | null;
  ruleName: string | null;
  conditions: AllowlistCondition[];
  reason: string;
  enabled: boolean;
  isDefault: boolean;
  authorName: string;
  sourceAlertId: string | null;
  expiresAt: string | null;
  expired: boolean;
  hitCount: number;
  lastHitAt: string | null;
  createdAt: string;
  updatedAt: string;
};

const ENTRY_SELECT = `SELECT l.id, l.rule_id, r.name AS rule_name, l.conditions, l.reason, l.enabled, l.is_default,
    l.author_name, l.source_alert_id, l.expires_at, l.hit_count::text AS hit_count, l.last_hit_at, l.created_at,
    l.updated_at, (l.expires_at IS NOT NULL AND l.expires_at <= now()) AS expired
  FROM allowlist_entries l LEFT JOIN rules r ON r.id = l.rule_id`;

type EntryRow = {
  id: string;
  rule_id: string | null;
  rule_name: string | null;
  conditions: AllowlistCondition[];
  reason: string;
  enabled: boolean;
  is_default: boolean;
  author_name: string;
  source_alert_id: string | null;
  expires_at: Date | null;
  hit_count: string;
  last_hit_at: Date | null;
  created_at: Date;
  updated_at: Date;
  expired: boolean;
};

function toView(row: EntryRow): AllowlistEntryView {
  return {
    id: row.id,
    ruleId: row.rule_id,
    ruleName: row.rule_name,
    conditions: row.conditions,
    reason: row.reason,
    enabled: row.enabled,
    isDefault: row.is_default,
    authorName: row.author_name,
    sourceAlertId: row.source_alert_id,
    expiresAt: row.expires_at?.toISOString() ?? null,
    expired: row.expired,
    hitCount: Number(row.hit_count),
    lastHitAt: row.last_hit_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Every entry, newest first. */
export async function listAllowlist(pool: pg.Pool | pg.ClientBase): Promise<AllowlistEntryView[]> {
  const result = await pool.query<EntryRow>(`${ENTRY_SELECT} ORDER BY l.created_at DESC, l.id`);
  return result.rows.map(toView);
}

export async function readAllowlistEntry(
  pool: pg.Pool | pg.ClientBase,
  id: string,
): Promise<AllowlistEntryView | null> {
  const result = await pool.query<EntryRow>(`${ENTRY_SELECT} WHERE l.id = $1`, [id]);
  return result.rows[0] ? toView(result.rows[0]) : null;
}
