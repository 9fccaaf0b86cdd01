// The windows the windowed rules keep between runs (detection_windows): derived from the events,
// replaced whenever a group is recomputed, so the next recomputation knows where it may start and stop.
import type pg from 'pg';
import type { WindowSpan } from '../detections/windowing';

function toSpans(rows: { window_start: Date; window_end: Date }[]): WindowSpan[] {
  return rows.map((row) => ({ start: row.window_start, end: row.window_end }));
}

/**
 * A group's windows that could hold `time` or follow it, opening before `before`: the last one opening
 * by `time`, and every one ending at or after it.
 */
export async function readWindowsAround(
  client: pg.ClientBase,
  ruleId: string,
  groupKey: string,
  time: Date,
  before: Date,
): Promise<WindowSpan[]> {
  const result = await client.query<{ window_start: Date; window_end: Date }>(
    `SELECT window_start, window_end FROM detection_windows
      WHERE rule_id = $1 AND group_key = $2 AND window_start < $4
        AND (window_end >= $3 OR window_start = (SELECT max(window_start) FROM detection_windows
              WHERE rule_id = $1 AND group_key = $2 AND window_start <= $3))
      ORDER BY window_start`,
    [ruleId, groupKey, time, before],
  );
  return toSpans(result.rows);
}

/** A group's windows opening in [from, before); from null: since its first. */
export async function readWindowsOpening(
  client: pg.ClientBase,
  ruleId: string,
  groupKey: string,
  from: Date | null,
  before: Date | 'end',
): Promise<WindowSpan[]> {
  const result = await client.query<{ window_start: Date; window_end: Date }>(
    `SELECT window_start, window_end FROM detection_windows
      WHERE rule_id = $1 AND group_key = $2 AND ($3::timestamptz IS NULL OR window_start >= $3)
        AND ($4::timestamptz IS NULL OR window_start < $4)
      ORDER BY window_start`,
    [ruleId, groupKey, from, before === 'end' ? null : before],
  );
  return toSpans(result.rows);
}

/** Replaces a group's windows opening in [from, until) by `windows`; writes nothing when they are the same. */
export async function replaceWindows(
  client: pg.ClientBase,
  ruleId: string,
  groupKey: string,
  span: { from: Date | null; until: Date | 'end' },
  windows: readonly WindowSpan[],
): Promise<void> {
  const current = await readWindowsOpening(client, ruleId, groupKey, span.from, span.until);
  const key = (window: WindowSpan) => `${window.start.getTime()}/${window.end.getTime()}`;
  const wanted = new Set(windows.map(key));
  const stale = current.filter((window) => !wanted.has(key(window)));
  const present = new Set(current.map(key));
  const fresh = windows.filter((window) => !present.has(key(window)));
  if (stale.length > 0) {
    await client.query(
      `DELETE FROM detection_windows WHERE rule_id = $1 AND group_key = $2 AND window_start = ANY($3::timestamptz[])`,
      [ruleId, groupKey, stale.map((window) => window.start)],
    );
  }
  if (fresh.length > 0) {
    await client.query(
      `INSERT INTO detection_windows (rule_id, group_key, window_start, window_end)
       SELECT $1, $2, s, e FROM unnest($3::timestamptz[], $4::timestamptz[]) AS w(s, e)`,
      [ruleId, groupKey, fresh.map((window) => window.start), fresh.map((window) => window.end)],
    );
  }
}

/** The group keys a rule has windows for: a rebuild retires the ones it no longer produces. */
export async function listWindowGroups(client: pg.ClientBase, ruleId: string): Promise<string[]> {
  const result = await client.query<{ group_key: string }>(
    `SELECT DISTINCT group_key FROM detection_windows WHERE rule_id = $1`,
    [ruleId],
  );
  return result.rows.map((row) => row.group_key);
}
