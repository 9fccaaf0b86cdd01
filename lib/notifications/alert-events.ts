// Which notification events a batch of alert history rows means: created, reopened (closed → open),
// closed, assigned (to someone), and severity raised (reported by the detection engine beside its rows).
import { randomUUID } from 'node:crypto';
import { SEVERITIES, type Severity } from '../vocabulary/severity';
import type { AlertEvent } from './schemas';

export type HistoryRow = { alertId: string; kind: string; from: string | null; to: string | null };
export type SeverityChange = { alertId: string; from: Severity; to: Severity };

export function alertEventsFrom(
  rows: readonly HistoryRow[],
  severityChanges: readonly SeverityChange[],
  now: Date,
  newKey: () => string = randomUUID,
): AlertEvent[] {
  const occurredAt = now.toISOString();
  const events: AlertEvent[] = [];
  for (const row of rows) {
    const base = { key: newKey(), alertId: row.alertId, occurredAt };
    if (row.kind === 'created') events.push({ ...base, event: 'alert.created' });
    else if (row.kind === 'status' && row.from === 'closed' && row.to !== 'closed')
      events.push({ ...base, event: 'alert.reopened' });
    else if (row.kind === 'status' && row.to === 'closed') events.push({ ...base, event: 'alert.closed' });
    else if (row.kind === 'assignee' && row.to)
      events.push({ ...base, event: 'alert.assigned', assigneeEmail: row.to });
  }
  for (const change of severityChanges)
    if (SEVERITIES.indexOf(change.to) > SEVERITIES.indexOf(change.from))
      events.push({
        key: newKey(),
        alertId: change.alertId,
        occurredAt,
        event: 'alert.severity_raised',
        previousSeverity: change.from,
      });
  return events;
}
