import type pg from 'pg';
import { ALLOWLIST_CLOSURES_SQL } from './allowlist-closure-note';
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
  /** Events detection skipped because the entry matched them (added by each detection run). */
  hitCount: number;
  lastHitAt: string | null;
  /** Alerts the entry closed as false positive when it was saved (from their history). */
  alertsClosed: number;
  createdAt: string;
  updatedAt: string;
};

const ENTRY_SELECT = `WITH closures AS (${ALLOWLIST_CLOSURES_SQL})
  SELECT l.id, l.rule_id, r.name AS rule_name, l.conditions, l.reason, l.enabled, l.is_default,
    l.author_name, l.source_alert_id, l.expires_at, l.hit_count::text AS hit_count, l.last_hit_at, l.created_at,
    l.updated_at, (l.expires_at IS NOT NULL AND l.expires_at <= now()) AS expired,
    coalesce(c.alerts_closed, 0)::text AS alerts_closed
  FROM allowlist_entries l LEFT JOIN rules r ON r.id = l.rule_id LEFT JOIN closures c ON c.entry_id = l.id::text`;

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
  alerts_closed: string;
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
    alertsClosed: Number(row.alerts_closed),
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
