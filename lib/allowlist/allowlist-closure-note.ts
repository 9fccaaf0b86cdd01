// The history note an entry leaves on each alert it closes: written once here, read back to link
// the entry from the alert's history and to count the alerts each entry closed.
const PREFIX = 'Allowlisted by entry ';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function formatAllowlistClosureNote(entryId: string, reason: string): string {
  return `${PREFIX}${entryId}: ${reason}`;
}

/** The entry and reason of a closure note; null for any other note. */
export function readAllowlistClosureNote(note: string): { entryId: string; reason: string } | null {
  if (!note.startsWith(PREFIX)) return null;
  const entryId = note.slice(PREFIX.length, PREFIX.length + 36);
  if (!UUID.test(entryId) || note.slice(PREFIX.length + 36, PREFIX.length + 38) !== ': ') return null;
  return { entryId, reason: note.slice(PREFIX.length + 38) };
}

/** Per entry id (text), the distinct alerts its closure notes name: a query to join as `closures`. */
export const ALLOWLIST_CLOSURES_SQL = `SELECT substring(h.note FROM ${PREFIX.length + 1} FOR 36) AS entry_id,
    count(DISTINCT h.alert_id) AS alerts_closed
  FROM alert_activity h WHERE h.kind = 'note' AND h.note LIKE '${PREFIX}%'
  GROUP BY 1`;
