import type { BatchSummary } from '@/lib/ingest/batches';

const number = (value: number) => value.toLocaleString('en-US');

/** The figures every batch reports, in the order an analyst reads them. */
export function BatchFigures({
  batch,
}: {
  batch: Pick<BatchSummary, 'format' | 'received' | 'stored' | 'duplicates' | 'rejected' | 'skipped'>;
}) {
  const figures: [string, string, boolean?][] = [
    ['Format', batch.format ?? '—'],
    ['Received', number(batch.received)],
    ['Stored', number(batch.stored)],
    ['Duplicates', number(batch.duplicates)],
    ['Rejected', number(batch.rejected), batch.rejected > 0],
    ['Skipped', number(batch.skipped)],
  ];
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
        {batch.rejected > batch.errors.length ? ` of ${number(batch.rejected)}` : ''})
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
