import { formatCount } from '@/components/format-number';
import type { BatchSummary } from '@/lib/ingest/batches';
import './batch-figures.css';

/** The figures every batch reports, in the order an analyst reads them. */
export function BatchFigures({
  batch,
}: {
  batch: Pick<BatchSummary, 'format' | 'received' | 'stored' | 'duplicates' | 'rejected' | 'skipped'> &
    Partial<Pick<BatchSummary, 'expiring'>>;
}) {
  const figures: [string, string, boolean?][] = [
    ['Format', batch.format ?? '—'],
    ['Received', formatCount(batch.received)],
    ['Stored', formatCount(batch.stored)],
    ['Duplicates', formatCount(batch.duplicates)],
    ['Rejected', formatCount(batch.rejected), batch.rejected > 0],
    ['Skipped', formatCount(batch.skipped)],
  ];
  // Stored, but past the retention period already: the next retention run drops them.
  if (batch.expiring) figures.push(['Past retention', formatCount(batch.expiring), true]);
  return (
    <dl className="batch-figures">
      {figures.map(([label, value, warn]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd data-warn={warn ? 'true' : undefined}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function RejectedLines({ batch }: { batch: Pick<BatchSummary, 'errors' | 'rejected'> }) {
  if (batch.errors.length === 0) return null;
  return (
    <details className="rejected-lines">
      <summary>
        First rejected lines ({batch.errors.length}
        {batch.rejected > batch.errors.length ? ` of ${formatCount(batch.rejected)}` : ''})
      </summary>
      <ol>
        {batch.errors.map((error, index) => (
          <li key={index}>
            <span className="muted">line {error.line}</span> {error.reason}
          </li>
        ))}
      </ol>
    </details>
  );
}
