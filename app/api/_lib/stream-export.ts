// Streamed CSV / NDJSON downloads of whatever a query selects, with flat memory at any row count.
//
//   const response = await streamExport({
//     pool: getPool(),
//     sql: `SELECT id, username, last_event_at FROM alerts WHERE severity = $1 ORDER BY last_event_at DESC, id`,
//     params: ['high'],
//     format: 'csv',                       // or 'ndjson'
//     name: 'alerts',                      // → vigil-alerts-20430115T093000Z.csv
//     columns: [
//       { header: 'id', value: (row) => row.id },
//       { header: 'user', value: (row) => row.username },
//       { header: 'lastEventAt', value: (row) => row.last_event_at },   // a Date: ISO UTC in both formats
//     ],
//     signal: request.signal,              // a route handler: stop when the downloader goes away
//   });
//
// `sql` is one SELECT with $n placeholders bound to `params` (no trailing semicolon; give it an
// ORDER BY for a stable file). `mapRow` may turn each database row into the shape the columns
// read (e.g. toAlertRow). How cells are written lives in ./format-rows.ts.
//
// How: one pooled client runs BEGIN READ ONLY; DECLARE … NO SCROLL CURSOR FOR <sql>, then
// FETCH <batchSize> each time the response body is pulled. The ReadableStream only pulls when
// its consumer has read what it had (one batch of read-ahead), so a slow downloader slows the
// fetching rather than filling memory. The first batch is fetched before answering: a query
// the database refuses becomes a JSON 400/500, not a truncated file. A failure after the
// first byte errors the stream (the download fails) and is logged. The transaction ends and
// the client goes back to the pool on completion, on error, on cancel() (the downloader
// disconnected), on `signal` aborting, and when the database ends a session left idle for
// longer than `idleTimeoutMs` (a downloader that stopped reading but kept the socket).
//
// A route exporting this way should also export HEAD (answering with exportHeaders()): Next
// answers HEAD by calling GET and then neither reads nor cancels the body, which would hold a
// client until the idle timeout.
import type pg from 'pg';
import { jsonError } from './responses';
import {
  exportContentTypes,
  exportFilename,
  formatPreamble,
  formatRows,
  type ExportColumn,
  type ExportFormat,
} from '@/lib/export/format-rows';

export type StreamExportOptions<Raw, Row> = {
  pool: pg.Pool;
  /** One SELECT with $1… placeholders, without a trailing semicolon. */
  sql: string;
  params?: readonly unknown[];
  format: ExportFormat;
  /** The file's columns in order; headers are the NDJSON keys too. */
  columns: readonly ExportColumn<Row>[];
  /** What is exported, for the file name: vigil-<name>-<UTC time>.<csv|ndjson>. */
  name: string;
  /** Turns a database row into what the columns read; the row as it is when omitted. */
  mapRow?: (raw: Raw) => Row;
  /** Rows per FETCH (and per chunk of the body). Default 1000. */
  batchSize?: number;
  /** Aborting it (a route's request.signal) ends the export as cancel() would. */
  signal?: AbortSignal;
  /** Longest pause between two pulls before PostgreSQL ends the session (and the client is freed). Default 10 min. */
  idleTimeoutMs?: number;
  /** The time in the file name; now when omitted. */
  now?: Date;
};

const DEFAULT_BATCH_SIZE = 1000;
const DEFAULT_IDLE_TIMEOUT_MS = 10 * 60 * 1000;
const CURSOR = 'vigil_export';

/** An export as a Response: the file streamed, or a JSON error when the query fails before its first row. */
export async function streamExport<Raw = Record<string, unknown>, Row = Raw>(
  options: StreamExportOptions<Raw, Row>,
): Promise<Response> {
  const { format, columns, name } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer`);
  const mapRow = options.mapRow ?? ((raw: Raw) => raw as unknown as Row);
  const encoder = new TextEncoder();

  let session: CursorSession<Raw>;
  let firstChunk: string;
  let exhausted: boolean;
  try {
    options.signal?.throwIfAborted();
    session = await CursorSession.open<Raw>(options.pool, options.sql, options.params ?? [], {
      idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    });
  } catch (error) {
    return errorResponse(name, error, options.signal);
  }
  try {
    const rows = await session.fetch(batchSize);
    exhausted = rows.length < batchSize;
    firstChunk = formatPreamble(format, columns) + formatRows(format, rows.map(mapRow), columns);
    // Every row is in hand: give the client back before the download even starts.
    if (exhausted) await session.close();
    // Gone during the first FETCH: nobody will read (or cancel) the body.
    options.signal?.throwIfAborted();
  } catch (error) {
    await session.close(error);
    return errorResponse(name, error, options.signal);
  }

  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let pending: string | null = firstChunk;
  let stopped = false;
  let inFlight: Promise<void> = Promise.resolve();

  /**
   * Ends the export from outside a pull: cancel() (nothing more to do for the stream), an
   * aborted signal, or the database dropping the session (the stream errors: a failed download).
   */
  async function stop(reason: unknown, how: { error: boolean; log: boolean }) {
    if (!stopped && how.log) console.error(`vigil: export ${name} ended early:`, reason);
    stopped = true;
    // A FETCH under way finishes first: the client runs one query at a time anyway.
    await inFlight.catch(() => {});
    await session.close(reason ?? new Error('export cancelled'));
    if (how.error) {
      try {
        controller.error(reason);
      } catch {
        // Already closed or errored.
      }
    }
  }

  async function pull() {
    if (pending !== null) {
      const text = pending;
      pending = null;
      if (text) controller.enqueue(encoder.encode(text));
      if (exhausted) controller.close();
      return;
    }
    try {
      const rows = await session.fetch(batchSize);
      // Cancelled or aborted meanwhile: stop() ends the session once this pull is over.
      if (stopped) return;
      const text = formatRows(format, rows.map(mapRow), columns);
      if (text) controller.enqueue(encoder.encode(text));
      if (rows.length < batchSize) {
        await session.close();
        controller.close();
      }
    } catch (error) {
      if (stopped) return;
      console.error(`vigil: export ${name} failed after its first byte:`, error);
      await session.close(error);
      try {
        controller.error(error);
      } catch {
        // Cancelled meanwhile.
      }
    }
  }

  const body = new ReadableStream<Uint8Array>({
    start(streamController) {
      controller = streamController;
    },
    pull() {
      inFlight = pull();
      return inFlight;
    },
    cancel(reason) {
      return stop(reason, { error: false, log: false });
    },
  });

  if (!exhausted) {
    session.onError = (error) => void stop(error, { error: true, log: true });
    const signal = options.signal;
    if (signal) {
      const onAbort = () => void stop(signal.reason, { error: true, log: false });
      signal.addEventListener('abort', onAbort, { once: true });
      void session.closed.then(() => signal.removeEventListener('abort', onAbort));
    }
  }

  return new Response(body, { status: 200, headers: exportHeaders(name, format, options.now) });
}

/** The download's headers, also for a HEAD answer that runs no query. */
export function exportHeaders(name: string, format: ExportFormat, now = new Date()): Record<string, string> {
  return {
    'content-type': exportContentTypes[format],
    'content-disposition': `attachment; filename="${exportFilename(name, format, now)}"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  };
}

// What the database says about a parameter it cannot take (text that is no number, a time
// out of its range): the caller's 400. Anything else is the query's fault: a logged 500.
const REFUSED_INPUT_CODES = new Set(['22P02', '22007', '22008']);

/** The JSON answer for an export that failed before its first byte; no log when the request was aborted. */
function errorResponse(name: string, error: unknown, signal: AbortSignal | undefined): Response {
  if (signal?.aborted) return jsonError(500, 'the export was cancelled before it started');
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && REFUSED_INPUT_CODES.has(code)) {
    return jsonError(400, `the database refused the export's filter: ${(error as Error).message}`);
  }
  console.error(`vigil: export ${name} failed:`, error);
  return jsonError(500, 'the export failed; the server log has the details');
}

/** One checked-out client holding one read-only transaction with one cursor. */
class CursorSession<Raw> {
  /** Called when the connection fails between fetches (e.g. PostgreSQL ended an idle session). */
  onError: (error: Error) => void = () => {};
  readonly closed: Promise<void>;
  private closing: Promise<void> | null = null;
  private resolveClosed!: () => void;
  private readonly listener = (error: Error) => this.onError(error);

  private constructor(private readonly client: pg.PoolClient) {
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    // A checked-out client has no error listener of the pool's: without ours, a connection
    // dropped between two pulls would be an unhandled 'error' event.
    client.on('error', this.listener);
  }

  static async open<Raw>(
    pool: pg.Pool,
    sql: string,
    params: readonly unknown[],
    options: { idleTimeoutMs: number },
  ): Promise<CursorSession<Raw>> {
    const session = new CursorSession<Raw>(await pool.connect());
    try {
      await session.client.query('BEGIN READ ONLY');
      await session.client.query(`SELECT set_config('idle_in_transaction_session_timeout', $1, true)`, [
        String(Math.max(0, Math.round(options.idleTimeoutMs))),
      ]);
      await session.client.query(`DECLARE ${CURSOR} NO SCROLL CURSOR FOR ${sql}`, [...params]);
    } catch (error) {
      await session.close(error);
      throw error;
    }
    return session;
  }

  async fetch(count: number): Promise<Raw[]> {
    if (this.closing) throw new Error('the export cursor is closed');
    const result = await this.client.query(`FETCH ${count} FROM ${CURSOR}`);
    return result.rows as Raw[];
  }

  /** Ends the transaction and returns the client; once, whoever calls first. A failed ROLLBACK/COMMIT discards the client. */
  close(error?: unknown): Promise<void> {
    this.closing ??= (async () => {
      let releaseError: Error | undefined;
      try {
        await this.client.query(error === undefined ? 'COMMIT' : 'ROLLBACK');
      } catch (endError) {
        releaseError = endError instanceof Error ? endError : new Error(String(endError));
      }
      this.client.release(releaseError);
      this.client.removeListener('error', this.listener);
      this.resolveClosed();
    })();
    return this.closing;
  }
}
