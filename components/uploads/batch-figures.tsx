import { formatCount } from '@/components/format-number';
import Link from 'next/link';
import type { BatchAlerts } from '@/lib/alerts/list-batch-alerts';
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

const FORMATS_LINK = '#supported-formats';

/** A message without the list of every supported format it may end with (the page lists them once), and whether it had one. */
export function splitFormatList(message: string): { problem: string; listsFormats: boolean } {
  const at = message.search(/(\. Supported: |; expected one of: )/);
  return at === -1 ? { problem: message, listsFormats: false } : { problem: message.slice(0, at), listsFormats: true };
}

/** Why a batch failed, in one sentence, with a link to the formats it could have been. */
export function BatchProblem({ message }: { message: string }) {
  const { problem, listsFormats } = splitFormatList(message);
  return (
    <p className="error-text batch-problem">
      {problem}
      {listsFormats ? (
        <>
          . <a href={FORMATS_LINK}>See the supported formats</a>.
        </>
      ) : null}
    </p>
  );
}

/** Whether a batch has figures worth a row: a failed one that stored nothing shows only why. */
export function hasFigures(batch: Pick<BatchSummary, 'stored' | 'duplicates' | 'status'>): boolean {
  return batch.status !== 'failed' || batch.stored + batch.duplicates > 0;
}

/** The first rejected lines, each with its line number and the problem found on it. */
export function RejectedLines({ batch }: { batch: Pick<BatchSummary, 'errors' | 'rejected'> }) {
  if (batch.errors.length === 0) return null;
  const lines = batch.errors.map((error) => ({ line: error.line, ...splitFormatList(error.reason) }));
  return (
    <details className="rejected-lines">
      <summary>
        First rejected lines ({batch.errors.length}
        {batch.rejected > batch.errors.length ? ` of ${formatCount(batch.rejected)}` : ''})
      </summary>
      <ol>
        {lines.map((error, index) => (
          <li key={index}>
            <span className="muted">line {error.line}</span> {error.problem}
            {error.listsFormats ? (
              <>
                {' '}
                · <a href={FORMATS_LINK}>supported formats</a>
              </>
            ) : null}
          </li>
        ))}
      </ol>
    </details>
  );
}

/** Every format Vigil reads, once, for the messages above to link to. */
export function SupportedFormats({ formats }: { formats: { value: string; description: string }[] }) {
  return (
    <details id="supported-formats" className="supported-formats">
      <summary>Supported formats</summary>
      <dl>
        {formats.map((format) => (
          <div key={format.value}>
            <dt>
              <code>{format.value}</code>
            </dt>
            <dd>{format.description}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

const plural = (count: number, word: string) => `${formatCount(count)} ${word}${count === 1 ? '' : 's'}`;

/** What detection then found in the batch's events: new alerts and older ones they joined, with links. */
export function BatchDetections({ found }: { found: BatchAlerts | undefined }) {
  if (!found)
    return (
      <p className="muted small batch-detections">
        No alert holds these events (detection runs within seconds of an upload).
      </p>
    );
  const more = found.created + found.updated - found.links.length;
  return (
    <p className="small batch-detections">
      Detection found <strong>{plural(found.created, 'new alert')}</strong>, {formatCount(found.updated)} updated:{' '}
      {found.links.map((link, index) => (
        <span key={link.id}>
          {index ? ', ' : ''}
          <Link href={`/alerts/${link.id}`}>{link.ruleName}</Link>
          <span className="muted"> ({link.isNew ? 'new' : 'updated'})</span>
        </span>
      ))}
      {more > 0 ? ` and ${formatCount(more)} more` : ''}
    </p>
  );
}
