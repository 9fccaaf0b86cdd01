import Link from 'next/link';
import { closeReasonLabels, statusLabels } from '@/components/alerts/labels';
import { formatUtc } from '@/lib/format-time';
import { readAllowlistClosureNote } from '@/lib/allowlist/allowlist-closure-note';
import type { AlertActivityEntry } from '@/lib/alerts/read-alert';
import type { CloseReason } from '@/lib/alerts/schemas';
import { NoteForm } from './triage-controls';

function describeActivity(entry: AlertActivityEntry) {
  const label = (value: string | null) =>
    value === null
      ? 'none'
      : (statusLabels[value as keyof typeof statusLabels] ?? closeReasonLabels[value as CloseReason] ?? value);
  switch (entry.kind) {
    case 'created':
      return 'raised the alert';
    case 'status':
      return entry.from === 'closed' && entry.to === 'open'
        ? 'reopened it'
        : `changed status from ${label(entry.from)} to ${label(entry.to)}`;
    case 'reason':
      return entry.from
        ? `changed the close reason from ${label(entry.from)} to ${label(entry.to)}`
        : `set the close reason to ${label(entry.to)}`;
    case 'assignee':
      return entry.to ? `assigned it to ${entry.to}` : `unassigned it (was ${entry.from})`;
    case 'note':
      return 'added a note';
    case 'evidence':
      return 'changed the evidence';
    case 'window':
      return `moved its window from ${entry.from ? formatUtc(entry.from) : '?'} to ${entry.to ? formatUtc(entry.to) : '?'}`;
    case 'withdrawn':
      return entry.to === 'withdrawn' ? 'withdrew it' : 'raised it again';
    default:
      return entry.kind;
  }
}

/** A note; an allowlist entry's closure note links the entry, named by its reason. */
function HistoryNote({ note }: { note: string }) {
  const closure = readAllowlistClosureNote(note);
  if (!closure) return <blockquote className="history-note">{note}</blockquote>;
  return (
    <blockquote className="history-note">
      Allowlisted by entry{' '}
      <Link href={`/allowlist#entry-${closure.entryId}`} title={`Allowlist entry ${closure.entryId}`}>
        “{closure.reason}”
      </Link>
    </blockquote>
  );
}

/** Every change to the alert, oldest first, and (for those who may) a note to add. */
export function HistoryPanel({
  alertId,
  history,
  canNote,
}: {
  alertId: string;
  history: AlertActivityEntry[];
  canNote: boolean;
}) {
  return (
    <section className="panel" aria-label="History">
      <h2>History</h2>
      <ol className="history">
        {history.map((entry) => (
          <li key={entry.id}>
            <span className="muted small nowrap">{formatUtc(entry.at)}</span> <strong>{entry.actorName}</strong>{' '}
            {describeActivity(entry)}
            {entry.note ? <HistoryNote note={entry.note} /> : null}
          </li>
        ))}
      </ol>
      {canNote ? <NoteForm alertId={alertId} /> : null}
    </section>
  );
}
