// The one ingest pipeline behind uploads, the audit webhook and the CLI:
// bytes → decode → records → parse/normalize → chunks → COPY + dedupe, batch kept current.
import type pg from 'pg';
import type { BatchSource } from '../db/generated/enums';
import { queueDetection } from '../engine/detect-job';
import { getEnv } from '../env';
import {
  createBatch,
  dominantFormat,
  finishBatch,
  MAX_REPORTED_ERRORS,
  recordBatchProgress,
  type BatchCounts,
  type BatchSummary,
} from './batches';
import { AppError, isAppError } from '../app-error';
import { decodeInput, type ByteCounter } from './decode-input';
import { describeSupportedFormats, parseRecord } from './detect-format';
import { exceedsJsonDepth, MAX_JSON_DEPTH, readRecords } from './read-records';
import { dayOf, ensurePartitions, forgetPartitions, isMissingPartition, partitionKeysOf } from '../storage/partitions';
import { firstKeptDay } from '../storage/plan-retention';
import { readRetentionPolicy, retentionDaysOf, type RetentionPolicy } from '../storage/retention-settings';
import {
  mergeResults,
  prepareAuditChunk,
  prepareStaging,
  storeAuditEvents,
  storeFileEvents,
  type PreparedAuditChunk,
  type Staged,
} from './store-events';
import type { IngestFormat, NormalizedAuditEvent, NormalizedFileEvent } from './types';

export const DEFAULT_CLUSTER = 'default';
/** Records examined before an input in which nothing is recognized is refused as a whole. */
const DETECTION_WINDOW = 200;

export type IngestRequest = {
  source: BatchSource;
  format: IngestFormat | 'auto';
  /** Overrides the cluster the records name; records that name none get DEFAULT_CLUSTER without it. */
  cluster?: string;
  fileName?: string;
  /** A client-chosen id, so a browser can follow the progress of the batch it is uploading. */
  batchId?: string;
  createdById?: string | null;
  /** Input bytes (before gunzip) beyond which the batch fails with what came before stored. */
  maxBytes?: number;
  /** The length the sender declared: an input that ends short of it fails the batch as cut off. */
  expectedBytes?: number;
  /** What a gzip input may decompress to (default VIGIL_MAX_DECOMPRESSED_BYTES). */
  maxDecodedBytes?: number;
};

export type IngestOptions = {
  pool: pg.Pool;
  /** Called after every committed chunk. */
  onProgress?: (summary: BatchSummary) => void;
  chunkSize?: number;
  /** …or once the chunk's records add up to this much text, so big records (RequestResponse bodies) keep memory flat. */
  chunkBytes?: number;
  /** Commit at least this often while data trickles in, so progress and liveness show. */
  flushIntervalMs?: number;
};

/** How a failed ingest is thrown: the input's own code (or `failed`), with the batch's summary. */
export type IngestFailure = AppError<{ summary: BatchSummary }> & { details: { summary: BatchSummary } };

export function isIngestFailure(error: unknown): error is IngestFailure {
  return error instanceof AppError && error.details !== undefined && 'summary' in error.details;
}

/** Each cluster's event-time range in a chunk, [from, to), clusters sorted (the order detection rows are locked in). */
function clusterTimeRanges(rows: readonly { cluster: string; event: { time: string } }[]) {
  const ranges = new Map<string, { from: Date; to: Date }>();
  for (const row of rows) {
    const time = Date.parse(row.event.time);
    const range = ranges.get(row.cluster);
    if (!range) ranges.set(row.cluster, { from: new Date(time), to: new Date(time + 1) });
    else {
      if (time < range.from.getTime()) range.from = new Date(time);
      if (time + 1 > range.to.getTime()) range.to = new Date(time + 1);
    }
  }
  return [...ranges].sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
}

export async function ingestStream(
  input: AsyncIterable<Buffer | Uint8Array>,
  request: IngestRequest,
  options: IngestOptions,
): Promise<BatchSummary> {
  const chunkSize = options.chunkSize ?? 2000;
  const chunkBytes = options.chunkBytes ?? 4 * 1024 * 1024;
  const flushIntervalMs = options.flushIntervalMs ?? 2000;
  const client = await options.pool.connect();
  let connectionBroken = false;
  // A connection lost between two queries is reported here; the next query then fails the batch.
  const onConnectionError = () => {
    connectionBroken = true;
  };
  client.on('error', onConnectionError);
  const bytes: ByteCounter = { compressed: 0, decoded: 0 };
  const counts: BatchCounts = {
    received: 0,
    stored: 0,
    requests: 0,
    expiring: 0,
    duplicates: 0,
    rejected: 0,
    skipped: 0,
    bytes: 0,
    errors: [],
    formats: {},
    clusters: [],
  };
  const startedAt = new Date().toISOString();
  let batchId = '';
  let retention: RetentionPolicy | null = null;
  const today = new Date();
  /** Stored records of a chunk older than their cluster's retention period. */
  const countExpiring = (rows: readonly Staged<{ time: string }>[], rejected: readonly { line: number }[]) => {
    if (!retention) return 0;
    const refused = new Set(rejected.map((line) => line.line));
    return rows.filter((row) => {
      const days = retentionDaysOf(retention!, row.cluster);
      return days !== null && !refused.has(row.line) && dayOf(row.event.time) < firstKeptDay(days, today);
    }).length;
  };
  const summary = (status: BatchSummary['status'], failureReason: string | null = null): BatchSummary => ({
    ...counts,
    batchId,
    status,
    source: request.source,
    fileName: request.fileName ?? null,
    cluster: batchCluster(request, counts.clusters),
    format: batchFormat(),
    formats: { ...counts.formats },
    clusters: [...counts.clusters],
    bytes: bytes.compressed,
    errors: [...counts.errors],
    failureReason,
    startedAt,
    finishedAt: status === 'running' ? null : new Date().toISOString(),
  });

  try {
    batchId = await createBatch(client, {
      id: request.batchId,
      source: request.source,
      fileName: request.fileName,
      cluster: request.cluster ?? DEFAULT_CLUSTER,
      createdById: request.createdById,
    });
    await prepareStaging(client);
    retention = await readRetentionPolicy(client, getEnv().VIGIL_RETENTION_DAYS);
  } catch (error) {
    client.off('error', onConnectionError);
    client.release(connectionBroken);
    throw error;
  }

  const reject = (line: number, reason: string) => {
    counts.rejected++;
    if (counts.errors.length < MAX_REPORTED_ERRORS) counts.errors.push({ line, reason });
  };

  let audit: Staged<NormalizedAuditEvent>[] = [];
  let files: Staged<NormalizedFileEvent>[] = [];
  let pendingText = 0;
  let examined = 0;
  let recognized = false;
  /** Records a parser took for its format and then rejected: a file of them is that format, all refused. */
  const rejectedAs: Record<string, number> = {};
  const batchFormat = () => dominantFormat(counts.formats) ?? dominantFormat(rejectedAs);
  let lastFlush = Date.now();
  /** The event-time range the batch has stored so far. */
  const stored: { min: string | null; max: string | null } = { min: null, max: null };
  let flushing: Promise<void> = Promise.resolve();

  // Parsing goes on while the previous chunk is written: Node parses, PostgreSQL stores.
  const flush = () => {
    const auditChunk = audit;
    const fileChunk = files;
    audit = [];
    files = [];
    pendingText = 0;
    lastFlush = Date.now();
    const prepared = prepareAuditChunk(auditChunk);
    const previous = flushing;
    flushing = previous.then(() => writeChunk(auditChunk, prepared, fileChunk));
    return previous;
  };

  const writeChunk = async (
    auditChunk: Staged<NormalizedAuditEvent>[],
    prepared: PreparedAuditChunk,
    fileChunk: Staged<NormalizedFileEvent>[],
  ) => {
    const keys = partitionKeysOf(
      [...auditChunk, ...fileChunk].map((row) => ({ cluster: row.cluster, time: row.event.time })),
    );
    for (let attempt = 1; ; attempt++) {
      // Outside the chunk's transaction: attaching a day's partitions must not wait on it.
      await ensurePartitions(client, keys);
      try {
        await writeChunkOnce(auditChunk, prepared, fileChunk);
        break;
      } catch (error) {
        // Retention dropped a day this process thought it had: make it again, once.
        if (!isMissingPartition(error) || attempt > 1) throw error;
        forgetPartitions(client);
      }
    }
    options.onProgress?.(summary('running'));
  };

  const writeChunkOnce = async (
    auditChunk: Staged<NormalizedAuditEvent>[],
    prepared: PreparedAuditChunk,
    fileChunk: Staged<NormalizedFileEvent>[],
  ) => {
    await client.query('BEGIN');
    try {
      const result = mergeResults(
        await storeAuditEvents(client, batchId, prepared),
        await storeFileEvents(client, batchId, fileChunk),
      );
      // The figures change only once the chunk is committed: a failed COMMIT stores nothing.
      const next: BatchCounts = {
        ...counts,
        stored: counts.stored + result.stored,
        requests: counts.requests + result.requests,
        expiring: counts.expiring + countExpiring([...auditChunk, ...fileChunk], result.rejected),
        duplicates: counts.duplicates + result.duplicates,
        rejected: counts.rejected + result.rejected.length,
        errors: [...counts.errors, ...result.rejected].slice(0, MAX_REPORTED_ERRORS),
        clusters: [...new Set([...counts.clusters, ...[...auditChunk, ...fileChunk].map((row) => row.cluster)])].sort(),
        bytes: bytes.compressed,
      };
      await recordBatchProgress(
        client,
        batchId,
        next,
        dominantFormat(next.formats),
        batchCluster(request, next.clusters),
        {
          min: result.minTime,
          max: result.maxTime,
        },
      );
      let range = stored;
      if (result.minTime !== null && result.maxTime !== null) {
        range = {
          min: stored.min === null || result.minTime < stored.min ? result.minTime : stored.min,
          max: stored.max === null || result.maxTime > stored.max ? result.maxTime : stored.max,
        };
        // Same transaction: a chunk is never stored without its detection being queued.
        for (const [cluster, times] of clusterTimeRanges([...auditChunk, ...fileChunk]))
          await queueDetection(client, cluster, times);
      }
      await client.query('COMMIT');
      Object.assign(counts, next);
      Object.assign(stored, range);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        connectionBroken = true;
      });
      throw error;
    }
  };

  try {
    for await (const raw of readRecords(
      decodeInput(input, bytes, {
        maxBytes: request.maxBytes,
        expectedBytes: request.expectedBytes,
        maxDecodedBytes: request.maxDecodedBytes ?? getEnv().VIGIL_MAX_DECOMPRESSED_BYTES,
      }),
    )) {
      examined++;
      if (raw.kind === 'error') {
        counts.received++;
        reject(raw.line, raw.reason);
      } else {
        if (exceedsJsonDepth(raw.text)) {
          counts.received++;
          reject(raw.line, `JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
          continue;
        }
        let value: unknown;
        try {
          value = JSON.parse(raw.text);
        } catch (error) {
          counts.received++;
          reject(raw.line, `malformed JSON: ${(error as Error).message}`);
          continue;
        }
        pendingText += raw.text.length;
        const parsed = parseRecord(value, { text: raw.text, container: raw.container }, request.format);
        for (const outcome of parsed.outcomes) {
          counts.received++;
          if (outcome.kind === 'rejected') {
            reject(raw.line, outcome.reason);
            if (parsed.recognized && !outcome.notOfFormat)
              rejectedAs[parsed.format!] = (rejectedAs[parsed.format!] ?? 0) + 1;
            continue;
          }
          recognized = true;
          if (outcome.kind === 'skipped') {
            counts.skipped++;
            continue;
          }
          const cluster = request.cluster ?? outcome.event.cluster ?? DEFAULT_CLUSTER;
          const sourceFormat = parsed.format ?? request.format;
          counts.formats[sourceFormat] = (counts.formats[sourceFormat] ?? 0) + 1;
          // The text is what gets stored; the parsed copy would only hold memory until the chunk is written.
          if (outcome.event.originalText !== undefined) outcome.event.original = null;
          if (outcome.kind === 'audit') audit.push({ event: outcome.event, line: raw.line, cluster, sourceFormat });
          else files.push({ event: outcome.event, line: raw.line, cluster, sourceFormat });
        }
      }
      if (!recognized && examined >= DETECTION_WINDOW) throw unusable(request.format, examined, rejectedAs, counts);
      if (
        recognized &&
        (audit.length + files.length >= chunkSize ||
          pendingText >= chunkBytes ||
          (Date.now() - lastFlush > flushIntervalMs && audit.length + files.length > 0))
      ) {
        await flush();
      }
    }
    if (examined === 0)
      throw new AppError('empty-input', `the file is empty. Supported: ${describeSupportedFormats()}.`);
    if (!recognized) throw unusable(request.format, examined, rejectedAs, counts);
    await flush();
    await flushing;
    await finishBatch(client, batchId, { status: 'completed' });
    return summary('completed');
  } catch (error) {
    await flushing.catch(() => {});
    const cause = error instanceof Error ? error : new Error(String(error));
    // Input cut off at the size limit or on the way: the complete records read so far are good data, keep them.
    const cutOff = isAppError(cause, 'too-large', 'cut-off');
    if (cutOff && recognized && !connectionBroken) {
      flush();
      await flushing.catch(() => {});
    }
    // What was read is kept on the batch too, so the Uploads page can show why it failed.
    await recordBatchProgress(
      options.pool,
      batchId,
      { ...counts, bytes: bytes.compressed },
      batchFormat(),
      batchCluster(request, counts.clusters),
      {
        min: null,
        max: null,
      },
    ).catch(() => {});
    await finishBatch(options.pool, batchId, { status: 'failed', reason: cause.message }).catch(() => {});
    const code = cause instanceof AppError ? cause.code : 'failed';
    throw new AppError(code, cause.message, { summary: summary('failed', cause.message) }, { cause });
  } finally {
    client.off('error', onConnectionError);
    client.release(connectionBroken);
  }
}

/** The cluster a batch's summary names: the one asked for, else those its records named. */
function batchCluster(request: IngestRequest, clusters: readonly string[]): string {
  return request.cluster ?? (clusters.length > 0 ? clusters.join(', ') : DEFAULT_CLUSTER);
}

/** Why nothing in the input could be used: records of no supported format, or of one and every one rejected. */
function unusable(
  format: IngestFormat | 'auto',
  examined: number,
  rejectedAs: Record<string, number>,
  counts: BatchCounts,
) {
  const recognizedAs = dominantFormat(rejectedAs);
  if (recognizedAs !== null) {
    const reasons = counts.errors
      .slice(0, 3)
      .map((error) => `line ${error.line}: ${error.reason}`)
      .join('; ');
    const scope = counts.received === examined ? `all ${examined}` : `the first ${examined}`;
    return new AppError(
      'rejected-input',
      `every record was rejected: ${scope} records are ${recognizedAs} records Vigil could not use (${reasons})`,
    );
  }
  const which = format === 'auto' ? 'a supported format' : `a ${format} record`;
  return new AppError(
    'unknown-format',
    `none of the first ${examined} records is ${which}. Supported: ${describeSupportedFormats()}.`,
  );
}
