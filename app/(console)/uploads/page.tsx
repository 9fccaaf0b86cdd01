import { connection } from 'next/server';
import { PageHeader } from '@/components/page-header';
import {
  BatchDetections,
  BatchFigures,
  BatchProblem,
  hasFigures,
  RejectedLines,
  SupportedFormats,
} from '@/components/uploads/batch-figures';
import { listBatchAlerts } from '@/lib/alerts/list-batch-alerts';
import { getDb } from '@/lib/db/client';
import { getPool } from '@/lib/db/pool';
import { listBatches } from '@/lib/ingest/batches';
import { FORMAT_DESCRIPTIONS, INGEST_FORMATS } from '@/lib/ingest/types';
import { UploadsClient } from './client';
import { formatUtc } from '@/lib/format-time';
import { requirePageActor } from '@/lib/auth/require-actor';
import { roleAllows } from '@/lib/auth/roles';
import './uploads.css';

export const metadata = { title: 'Uploads' };

export default async function UploadsPage() {
  const actor = await requirePageActor();
  await connection();
  const batches = await listBatches(getDb(), { limit: 50 });
  const detections = await listBatchAlerts(
    getPool(),
    batches.map((batch) => batch.batchId),
  );
  const formats = INGEST_FORMATS.map((value) => ({ value, description: FORMAT_DESCRIPTIONS[value] }));
  return (
    <>
      <PageHeader
        title="Uploads"
        description="Bring audit log exports into Vigil. Each file is stored as it streams in; nothing is stored twice."
      />
      {roleAllows(actor.role, 'ingest') ? (
        <UploadsClient formats={formats} />
      ) : (
        <section className="panel">
          <p className="muted">Your role ({actor.role}) can read batches but not upload; an analyst or admin can.</p>
        </section>
      )}
      <section className="panel" aria-label="Formats">
        <SupportedFormats formats={formats} />
      </section>
      <section className="panel" aria-label="Past batches">
        <h2>Past batches</h2>
        {batches.length === 0 ? (
          <p className="muted">
            Nothing ingested yet. Upload a file above, run <code>npx vigil ingest FILE</code>, or point a cluster&apos;s
            audit webhook at <code>/api/v1/audit-webhook?cluster=NAME</code>.
          </p>
        ) : (
          <ul className="batch-list">
            {batches.map((batch) => (
              <li key={batch.batchId} id={`batch-${batch.batchId}`} data-status={batch.status}>
                <div className="upload-head">
                  <strong>{batch.fileName ?? `${batch.source} batch`}</strong>
                  <span className="muted small">
                    {batch.source} · cluster {batch.cluster} · {formatUtc(batch.startedAt)}
                  </span>
                  <span className={`status status-${batch.status}`}>{batch.status}</span>
                </div>
                {batch.failureReason ? <BatchProblem message={batch.failureReason} /> : null}
                {hasFigures(batch) ? <BatchFigures batch={batch} /> : null}
                <RejectedLines batch={batch} />
                {batch.status === 'completed' ? <BatchDetections found={detections.get(batch.batchId)} /> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
