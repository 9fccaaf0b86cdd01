// Stores normalized events with COPY: into a per-connection staging table, then one
// INSERT … ON CONFLICT DO NOTHING that deduplicates on (cluster, auditID, stage) against
// everything stored before, including by a concurrent upload of an overlapping file.
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyValue } from '../db/table-columns';
import { AUDIT_EVENT_WRITTEN_FIELDS, auditEvents } from '../events/audit-event-columns';
import { FILE_EVENT_WRITTEN_FIELDS, fileEvents } from '../events/file-event-columns';
import type { RejectedLine } from './batches';
import type { NormalizedAuditEvent, NormalizedFileEvent } from './types';

export type Staged<T> = { event: T; line: number; cluster: string; sourceFormat: string };

export type StoreResult = {
  stored: number;
  duplicates: number;
  minTime: string | null;
  maxTime: string | null;
  rejected: RejectedLine[];
};

/** The original as JSON text; normalization (sanitizeOriginal) already made it safe for jsonb. */
export function jsonbText(original: unknown, originalText: string | undefined): string {
  return originalText ?? JSON.stringify(original);
}

const AUDIT_WRITTEN = AUDIT_EVENT_WRITTEN_FIELDS;
const FILE_WRITTEN = FILE_EVENT_WRITTEN_FIELDS;
const AUDIT_DIRECT = ['id', ...AUDIT_WRITTEN] as const;

const CREATE_STAGING = `
  CREATE TEMP TABLE IF NOT EXISTS ingest_stage_audit (
    ord int, ${auditEvents.ddl(AUDIT_WRITTEN)}, original text
  ) ON COMMIT DELETE ROWS;
  CREATE TEMP TABLE IF NOT EXISTS ingest_stage_file (ord int, ${fileEvents.ddl(FILE_WRITTEN)}) ON COMMIT DELETE ROWS;`;

const INSERT_AUDIT = `
  WITH ins AS (
    INSERT INTO audit_events (${auditEvents.columnList(AUDIT_WRITTEN)})
    SELECT ${auditEvents.columnList(AUDIT_WRITTEN)} FROM ingest_stage_audit
    ON CONFLICT (cluster, audit_id, stage) DO NOTHING
    RETURNING id, cluster, audit_id, stage, time
  ), originals AS (
    INSERT INTO audit_event_originals (event_id, original)
    SELECT ins.id, staged.original::jsonb FROM ins JOIN ingest_stage_audit staged USING (cluster, audit_id, stage)
  )
  SELECT count(*)::int AS stored, min(time) AS min_time, max(time) AS max_time FROM ins`;

const INSERT_FILE = `
  WITH ins AS (
    INSERT INTO file_events (${fileEvents.columnList(FILE_WRITTEN)})
    SELECT ${fileEvents.columnList(FILE_WRITTEN)} FROM ingest_stage_file
    ON CONFLICT (cluster, event_key) DO NOTHING
    RETURNING time
  )
  SELECT count(*)::int AS stored, min(time) AS min_time, max(time) AS max_time FROM ins`;

/** A staged event's column values: the record's, with the batch's cluster, source format and id. */
function auditValues(staged: Staged<NormalizedAuditEvent>, batchId: string | null) {
  return { ...staged.event, cluster: staged.cluster, sourceFormat: staged.sourceFormat, batchId };
}

/** A staging row: order, the written columns, the original document. */
export function auditRow(staged: Staged<NormalizedAuditEvent>, ord: number, batchId: string | null): string {
  const original = copyValue(jsonbText(staged.event.original, staged.event.originalText));
  return `${ord}\t${auditEvents.copyRow(AUDIT_WRITTEN, auditValues(staged, batchId))}\t${original}`;
}

function fileRow(staged: Staged<NormalizedFileEvent>, ord: number, batchId: string): string {
  const e = staged.event;
  const original = jsonbText(e.original, e.originalText);
  return `${ord}\t${fileEvents.copyRow(FILE_WRITTEN, { ...e, cluster: staged.cluster, sourceFormat: staged.sourceFormat, batchId, original })}`;
}

async function copyInto(client: pg.ClientBase, table: string, rows: string[]) {
  const stream = client.query(copyFrom(`COPY ${table} FROM STDIN`));
  await new Promise<void>((resolve, reject) => {
    stream.on('error', reject);
    stream.on('finish', resolve);
    stream.end(`${rows.join('\n')}\n`);
  });
}

export async function prepareStaging(client: pg.ClientBase) {
  await client.query(CREATE_STAGING);
}

type Kind = { table: string; insert: string; row: (staged: never, ord: number, batchId: string) => string };
const AUDIT: Kind = { table: 'ingest_stage_audit', insert: INSERT_AUDIT, row: auditRow as Kind['row'] };
const FILE: Kind = { table: 'ingest_stage_file', insert: INSERT_FILE, row: fileRow as Kind['row'] };

/** SQLSTATE classes of a value the database refuses (bad data, constraint, size limit), as opposed to an outage. */
function isDataError(error: unknown) {
  const code = (error as { code?: string }).code ?? '';
  return code.startsWith('22') || code.startsWith('23') || code.startsWith('54');
}

const EMPTY: StoreResult = { stored: 0, duplicates: 0, minTime: null, maxTime: null, rejected: [] };

/**
 * Stores the rows inside the caller's transaction. A row the database refuses is
 * isolated by halving under savepoints and reported; every other row is stored.
 * The staging table is empty at the start of a chunk (ON COMMIT DELETE ROWS); only
 * the halves of a split chunk must clear what the previous half left.
 */
async function storeRows<T>(
  client: pg.ClientBase,
  kind: Kind,
  batchId: string,
  rows: Staged<T>[],
  clearFirst = false,
): Promise<StoreResult> {
  if (rows.length === 0) return EMPTY;
  await client.query('SAVEPOINT store_rows');
  try {
    if (clearFirst) await client.query(`DELETE FROM ${kind.table}`);
    await copyInto(
      client,
      kind.table,
      rows.map((row, ord) => kind.row(row as never, ord, batchId)),
    );
    const result = await client.query<{ stored: number; min_time: Date | null; max_time: Date | null }>(kind.insert);
    await client.query('RELEASE SAVEPOINT store_rows');
    const { stored, min_time, max_time } = result.rows[0]!;
    return {
      stored,
      duplicates: rows.length - stored,
      minTime: min_time?.toISOString() ?? null,
      maxTime: max_time?.toISOString() ?? null,
      rejected: [],
    };
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT store_rows');
    await client.query('RELEASE SAVEPOINT store_rows');
    if (!isDataError(error)) throw error;
    if (rows.length === 1) {
      const reason = `the database refused this record: ${(error as Error).message}`;
      return { ...EMPTY, rejected: [{ line: rows[0]!.line, reason }] };
    }
    const middle = Math.ceil(rows.length / 2);
    const first = await storeRows(client, kind, batchId, rows.slice(0, middle), true);
    const second = await storeRows(client, kind, batchId, rows.slice(middle), true);
    return mergeResults(first, second);
  }
}

/** The first row of each key; the staging table then needs no DISTINCT over wide rows. */
function firstOfEachKey<T>(
  rows: Staged<T>[],
  key: (row: Staged<T>) => string,
): { unique: Staged<T>[]; repeats: number } {
  const seen = new Set<string>();
  const unique = rows.filter((row) => {
    const value = key(row);
    if (seen.has(value)) return false;
    seen.add(value);
    return true;
  });
  return { unique, repeats: rows.length - unique.length };
}

async function storeUnique<T>(
  client: pg.ClientBase,
  kind: Kind,
  batchId: string,
  rows: Staged<T>[],
  key: (row: Staged<T>) => string,
) {
  const { unique, repeats } = firstOfEachKey(rows, key);
  const result = await storeRows(client, kind, batchId, unique);
  return { ...result, duplicates: result.duplicates + repeats };
}

export function mergeResults(a: StoreResult, b: StoreResult): StoreResult {
  const pick = (x: string | null, y: string | null, f: (p: string, q: string) => string) =>
    x === null ? y : y === null ? x : f(x, y);
  return {
    stored: a.stored + b.stored,
    duplicates: a.duplicates + b.duplicates,
    minTime: pick(a.minTime, b.minTime, (p, q) => (p < q ? p : q)),
    maxTime: pick(a.maxTime, b.maxTime, (p, q) => (p > q ? p : q)),
    rejected: [...a.rejected, ...b.rejected],
  };
}

const auditKey = (row: Staged<NormalizedAuditEvent>) =>
  `${row.cluster}\u0000${row.event.auditId}\u0000${row.event.stage}`;

/** The rows of the chunk whose (cluster, auditID, stage) is stored already. */
async function findStoredAuditKeys(client: pg.ClientBase, rows: Staged<NormalizedAuditEvent>[]): Promise<Set<string>> {
  const result = await client.query<{ cluster: string; audit_id: string; stage: string }>(
    `SELECT e.cluster, e.audit_id, e.stage
       FROM unnest($1::text[], $2::text[], $3::text[]) AS k(cluster, audit_id, stage)
       JOIN audit_events e USING (cluster, audit_id, stage)`,
    [rows.map((row) => row.cluster), rows.map((row) => row.event.auditId), rows.map((row) => row.event.stage)],
  );
  return new Set(result.rows.map((row) => `${row.cluster}\u0000${row.audit_id}\u0000${row.stage}`));
}

function timeRange(rows: Staged<NormalizedAuditEvent>[]) {
  let min = Infinity;
  let max = -Infinity;
  for (const row of rows) {
    const ms = Date.parse(row.event.time);
    if (ms < min) min = ms;
    if (ms > max) max = ms;
  }
  return rows.length === 0
    ? { minTime: null, maxTime: null }
    : { minTime: new Date(min).toISOString(), maxTime: new Date(max).toISOString() };
}

/**
 * The fast path: drop the rows already stored, then COPY the rest straight into
 * audit_events and audit_event_originals with ids taken from the sequence. A row a
 * concurrent upload stored in between (unique violation) or one the database refuses
 * sends the chunk down the staging path, which deduplicates and isolates row by row.
 */
export async function storeAuditEvents(
  client: pg.ClientBase,
  batchId: string,
  rows: Staged<NormalizedAuditEvent>[],
): Promise<StoreResult> {
  const { unique, repeats } = firstOfEachKey(rows, auditKey);
  if (unique.length === 0) return { ...EMPTY, duplicates: repeats };
  const stored = await findStoredAuditKeys(client, unique);
  const fresh = unique.filter((row) => !stored.has(auditKey(row)));
  const duplicates = repeats + (unique.length - fresh.length);
  if (fresh.length === 0) return { ...EMPTY, duplicates };

  const ids = await client.query<{ id: string }>(
    `SELECT nextval('audit_events_id_seq')::text AS id FROM generate_series(1, $1)`,
    [fresh.length],
  );
  const eventRows: string[] = [];
  const originalRows: string[] = [];
  fresh.forEach((row, index) => {
    const id = ids.rows[index]!.id;
    eventRows.push(auditEvents.copyRow(AUDIT_DIRECT, { ...auditValues(row, batchId), id }));
    originalRows.push(`${id}\t${copyValue(jsonbText(row.event.original, row.event.originalText))}`);
  });
  await client.query('SAVEPOINT direct_copy');
  try {
    await copyInto(client, `audit_events (${auditEvents.columnList(AUDIT_DIRECT)})`, eventRows);
    await copyInto(client, 'audit_event_originals (event_id, original)', originalRows);
    await client.query('RELEASE SAVEPOINT direct_copy');
    return { stored: fresh.length, duplicates, ...timeRange(fresh), rejected: [] };
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT direct_copy');
    await client.query('RELEASE SAVEPOINT direct_copy');
    if (!isDataError(error)) throw error;
    const result = await storeRows(client, AUDIT, batchId, fresh);
    return { ...result, duplicates: result.duplicates + duplicates };
  }
}

export function storeFileEvents(client: pg.ClientBase, batchId: string, rows: Staged<NormalizedFileEvent>[]) {
  return storeUnique(client, FILE, batchId, rows, (row) => `${row.cluster}\u0000${row.event.eventKey}`);
}
