// Ingest batches: one row per upload, webhook delivery or CLI file, kept current chunk by chunk.
import type pg from 'pg';
import { AppError } from '../app-error';
import type { Db } from '../db/client';
import type { BatchSource, BatchStatus } from '../db/generated/enums';

export const MAX_REPORTED_ERRORS = 100;

export type RejectedLine = { line: number; reason: string };

/** The one summary shape every way in answers with; scripts rely on these names. */
export type BatchSummary = {
  batchId: string;
  status: BatchStatus;
  source: BatchSource;
  fileName: string | null;
  /** The cluster asked for, else the clusters the records named, joined (see `clusters`). */
  cluster: string;
  /** Every cluster the batch stored events under. */
  clusters: string[];
  /** The format most events came in, or null before any was recognized. */
  format: string | null;
  formats: Record<string, number>;
  bytes: number;
  received: number;
  /** Records stored: each stage of a request is a record. */
  stored: number;
  /** Requests new to the store (a request logged at two stages is one). */
  requests: number;
  /** Stored records already older than their cluster's retention period: they go at the next retention run. */
  expiring: number;
  duplicates: number;
  rejected: number;
  skipped: number;
  errors: RejectedLine[];
  failureReason: string | null;
  startedAt: string;
  finishedAt: string | null;
};

export type BatchCounts = Pick<
  BatchSummary,
  | 'received'
  | 'stored'
  | 'requests'
  | 'expiring'
  | 'duplicates'
  | 'rejected'
  | 'skipped'
  | 'bytes'
  | 'errors'
  | 'formats'
  | 'clusters'
>;

export function dominantFormat(formats: Record<string, number>): string | null {
  let best: string | null = null;
  for (const [format, count] of Object.entries(formats))
    if (best === null || count > (formats[best] ?? 0)) best = format;
  return best;
}

export async function createBatch(
  client: pg.ClientBase,
  batch: { id?: string; source: BatchSource; fileName?: string; cluster: string; createdById?: string | null },
): Promise<string> {
  const result = await client
    .query<{ id: string }>(
      `INSERT INTO ingest_batches (id, source, file_name, cluster, created_by_id)
       VALUES (COALESCE($1::uuid, gen_random_uuid()), $2, $3, $4, $5) RETURNING id`,
      [batch.id ?? null, batch.source, batch.fileName ?? null, batch.cluster, batch.createdById ?? null],
    )
    .catch((error: unknown) => {
      if ((error as { code?: string }).code !== '23505') throw error;
      throw new AppError('conflict', `batch ${batch.id} already exists: a batchId names one upload, choose a new one`);
    });
  return result.rows[0]!.id;
}

export async function recordBatchProgress(
  client: pg.ClientBase | pg.Pool,
  batchId: string,
  counts: BatchCounts,
  /** The format it stored most of, or the one its records were all refused as. */
  format: string | null,
  cluster: string,
  timeRange: { min: string | null; max: string | null },
) {
  await client.query(
    `UPDATE ingest_batches SET received = $2, stored = $3, requests = $4, duplicates = $5, rejected = $6, skipped = $7,
       bytes = $8, errors = $9, formats = $10, format = $11, cluster = $12, clusters = $13,
       min_event_time = LEAST(min_event_time, $14::timestamptz), max_event_time = GREATEST(max_event_time, $15::timestamptz),
       expiring = $16, updated_at = now()
     WHERE id = $1`,
    [
      batchId,
      counts.received,
      counts.stored,
      counts.requests,
      counts.duplicates,
      counts.rejected,
      counts.skipped,
      counts.bytes,
      JSON.stringify(counts.errors),
      JSON.stringify(counts.formats),
      format,
      cluster,
      counts.clusters,
      timeRange.min,
      timeRange.max,
      counts.expiring,
    ],
  );
}

export async function finishBatch(
  client: pg.ClientBase | pg.Pool,
  batchId: string,
  outcome: { status: 'completed' } | { status: 'failed'; reason: string },
) {
  await client.query(
    `UPDATE ingest_batches SET status = $2, failure_reason = $3, finished_at = now(), updated_at = now() WHERE id = $1`,
    [batchId, outcome.status, outcome.status === 'failed' ? outcome.reason : null],
  );
}

/** Batches left "running" by a process that died: nothing moved for `staleAfterMs`. */
export async function failInterruptedBatches(db: Db, staleAfterMs = 5 * 60_000): Promise<number> {
  const result = await db.ingestBatch.updateMany({
    where: { status: 'running', updatedAt: { lt: new Date(Date.now() - staleAfterMs) } },
    data: {
      status: 'failed',
      failureReason:
        'interrupted: the process ingesting it stopped. Ingest the same file again to complete it; nothing is stored twice.',
      finishedAt: new Date(),
    },
  });
  return result.count;
}

type BatchRow = Awaited<ReturnType<Db['ingestBatch']['findFirstOrThrow']>>;

function toSummary(row: BatchRow): BatchSummary {
  const formats = (row.formats ?? {}) as Record<string, number>;
  return {
    batchId: row.id,
    status: row.status,
    source: row.source,
    fileName: row.fileName,
    cluster: row.cluster,
    clusters: row.clusters,
    format: row.format ?? dominantFormat(formats),
    formats,
    bytes: Number(row.bytes),
    received: row.received,
    stored: row.stored,
    requests: row.requests,
    expiring: row.expiring,
    duplicates: row.duplicates,
    rejected: row.rejected,
    skipped: row.skipped,
    errors: row.errors as RejectedLine[],
    failureReason: row.failureReason,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

export async function getBatchSummary(db: Db, batchId: string): Promise<BatchSummary | null> {
  const row = await db.ingestBatch.findUnique({ where: { id: batchId } });
  return row ? toSummary(row) : null;
}

export async function listBatches(db: Db, options: { limit: number }): Promise<BatchSummary[]> {
  const rows = await db.ingestBatch.findMany({ orderBy: { startedAt: 'desc' }, take: options.limit });
  return rows.map(toSummary);
}
