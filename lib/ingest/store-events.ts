// Stores a chunk of normalized events inside the caller's transaction, one row per API request: a
// request new to the store goes straight in with COPY; a later stage of a stored request completes its
// row (the request is locked, merged in TypeScript — one definition, request-stages.ts — and written
// back). Rows are locked and written in key order, and a deadlock, a serialization failure or a key a
// concurrent upload stored meanwhile makes the chunk run again, so overlapping uploads never fail and
// store each request once. A row the database refuses is isolated by halving and reported.
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyBytes, copyValue } from '../db/table-columns';
import { AUDIT_EVENT_WRITTEN_FIELDS, auditEvents } from '../events/audit-event-columns';
import { FILE_EVENT_WRITTEN_FIELDS, fileEvents } from '../events/file-event-columns';
import { mergeRequestStages, stagesOf } from '../events/request-stages';
import { addOriginals, encodeOriginals } from '../events/stored-originals';
import type { RejectedLine } from './batches';
import {
  mergeChunkRequests,
  originalsJson,
  originalText,
  type ChunkRequest,
  type StagedRecord,
} from './merge-requests';
import type { NormalizedAuditEvent, NormalizedFileEvent } from './types';

export type Staged<T> = { event: T; line: number; cluster: string; sourceFormat: string };

export type StoreResult = {
  /** Records that added something: a new request, or a stage of one not stored before. */
  stored: number;
  /** Requests new to the store. */
  requests: number;
  duplicates: number;
  minTime: string | null;
  maxTime: string | null;
  rejected: RejectedLine[];
};

const EMPTY: StoreResult = { stored: 0, requests: 0, duplicates: 0, minTime: null, maxTime: null, rejected: [] };

const AUDIT_WRITTEN = AUDIT_EVENT_WRITTEN_FIELDS;
const AUDIT_ROW = ['id', ...AUDIT_WRITTEN] as const;
const FILE_ROW = ['id', ...FILE_EVENT_WRITTEN_FIELDS] as const;

const CREATE_STAGING = `
  CREATE TEMP TABLE IF NOT EXISTS ingest_stage_requests (${auditEvents.ddl(AUDIT_ROW)}, originals bytea)
    ON COMMIT DELETE ROWS`;

/** Once per connection, before its first chunk. */
export async function prepareStaging(client: pg.ClientBase) {
  await client.query(CREATE_STAGING);
}

async function copyInto(client: pg.ClientBase, target: string, rows: readonly string[]) {
  if (rows.length === 0) return;
  const stream = client.query(copyFrom(`COPY ${target} FROM STDIN`));
  await new Promise<void>((resolve, reject) => {
    stream.on('error', reject);
    stream.on('finish', resolve);
    stream.end(`${rows.join('\n')}\n`);
  });
}

const sqlState = (error: unknown) => (error as { code?: string }).code ?? '';
/** Another transaction got in the way: run the chunk again (deadlock, serialization, a key stored meanwhile). */
const isRace = (error: unknown) => ['40P01', '40001', '23505'].includes(sqlState(error));
/** A value the database refuses (bad data, a constraint, a size limit), as opposed to an outage. */
const isDataError = (error: unknown) => /^(22|23|54)/.test(sqlState(error)) && !isRace(error);

const MAX_ATTEMPTS = 8;

/**
 * Runs `work` under a savepoint, again while it loses a race to a concurrent transaction; from the
 * second attempt on it is told the chunk is contended (and takes the path that queues instead).
 */
async function runUntilSettled<T>(client: pg.ClientBase, work: (retrying: boolean) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    await client.query('SAVEPOINT store_chunk');
    try {
      const result = await work(attempt > 1);
      await client.query('RELEASE SAVEPOINT store_chunk');
      return result;
    } catch (error) {
      await client.query('ROLLBACK TO SAVEPOINT store_chunk');
      await client.query('RELEASE SAVEPOINT store_chunk');
      if (!isRace(error) || attempt === MAX_ATTEMPTS) throw error;
      // Let the other transaction commit before trying again.
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20 * attempt));
    }
  }
}

/**
 * Writes rows with `write`, isolating a row the database refuses by halving under savepoints: it is
 * reported, every other row is written. `write` must leave nothing behind when it throws.
 */
async function writeIsolating<T>(
  client: pg.ClientBase,
  rows: T[],
  linesOf: (row: T) => number[],
  write: (rows: T[]) => Promise<void>,
): Promise<{ written: T[]; rejected: RejectedLine[] }> {
  if (rows.length === 0) return { written: [], rejected: [] };
  await client.query('SAVEPOINT store_rows');
  try {
    await write(rows);
    await client.query('RELEASE SAVEPOINT store_rows');
    return { written: rows, rejected: [] };
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT store_rows');
    await client.query('RELEASE SAVEPOINT store_rows');
    if (!isDataError(error)) throw error;
    if (rows.length === 1) {
      const reason = `the database refused this record: ${(error as Error).message}`;
      return { written: [], rejected: linesOf(rows[0]!).map((line) => ({ line, reason })) };
    }
    const middle = Math.ceil(rows.length / 2);
    const first = await writeIsolating(client, rows.slice(0, middle), linesOf, write);
    const second = await writeIsolating(client, rows.slice(middle), linesOf, write);
    return { written: [...first.written, ...second.written], rejected: [...first.rejected, ...second.rejected] };
  }
}

function timeRange(times: readonly string[]) {
  let min = Infinity;
  let max = -Infinity;
  for (const time of times) {
    const ms = Date.parse(time);
    if (ms < min) min = ms;
    if (ms > max) max = ms;
  }
  return times.length === 0
    ? { minTime: null, maxTime: null }
    : { minTime: new Date(min).toISOString(), maxTime: new Date(max).toISOString() };
}

async function nextIds(client: pg.ClientBase, sequence: string, count: number): Promise<string[]> {
  if (count === 0) return [];
  const result = await client.query<{ id: string }>(
    `SELECT nextval('${sequence}')::text AS id FROM generate_series(1, $1)`,
    [count],
  );
  return result.rows.map((row) => row.id);
}

type StoredRequest = NormalizedAuditEvent & { id: string; originals?: Buffer | null };

/** Stages of the request that the stored row does not have yet. */
function newStages(request: ChunkRequest, existing: StoredRequest) {
  const had = new Set(stagesOf(existing));
  return stagesOf(request.row).filter((stage) => !had.has(stage));
}

/**
 * The stored originals of the locked requests that gain a stage (they are encoded again with it). A
 * statement of its own, after the lock: one joined to the locking SELECT could return a version from
 * before the lock holder's commit.
 */
async function readStoredOriginals(client: pg.ClientBase, pairs: [ChunkRequest, StoredRequest][]) {
  const locked = pairs.filter(([request, existing]) => newStages(request, existing).length > 0).map(([, row]) => row);
  if (locked.length === 0) return;
  const result = await client.query<{ event_id: string; originals: Buffer }>(
    `SELECT o.event_id::text AS event_id, o.originals
       FROM unnest($1::bigint[], $2::timestamptz[], $3::text[]) AS k(id, time, cluster)
       JOIN audit_event_originals o ON o.event_id = k.id AND o.time = k.time AND o.cluster = k.cluster`,
    [locked.map((row) => row.id), locked.map((row) => row.time), locked.map((row) => row.cluster)],
  );
  const found = new Map(result.rows.map((row) => [row.event_id, row.originals]));
  for (const row of locked) row.originals = found.get(row.id) ?? null;
}

/** The chunk's requests already stored, locked in key order; times exact (microseconds). */
async function lockStoredRequests(
  client: pg.ClientBase,
  requests: ChunkRequest[],
): Promise<Map<number, StoredRequest>> {
  const result = await client.query<StoredRequest & { ord: number }>(
    `SELECT k.ord, ${auditEvents.selectExact(AUDIT_ROW)}
       FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::int[]) AS k(cluster, audit_id, time, ord)
       JOIN audit_events e ON e.cluster = k.cluster AND e.audit_id = k.audit_id AND e.time = k.time
      ORDER BY k.ord FOR UPDATE OF e`,
    [
      requests.map((request) => request.cluster),
      requests.map((request) => request.row.auditId),
      requests.map((request) => request.row.time),
      requests.map((_, ord) => ord),
    ],
  );
  await readStoredOriginals(
    client,
    result.rows.map((row) => [requests[row.ord]!, row]),
  );
  return new Map(result.rows.map((row) => [row.ord, row]));
}

/** `originals`: encoded, as stored (stored-originals.ts). */
type Planned = { request: ChunkRequest; id: string; row: NormalizedAuditEvent; originals: Buffer; lines: number[] };

const linesOf = (planned: Planned) => planned.lines;

function rowText(planned: Planned, batchId: string) {
  const { request } = planned;
  return auditEvents.copyRow(AUDIT_ROW, {
    ...planned.row,
    id: planned.id,
    cluster: request.cluster,
    sourceFormat: request.sourceFormat,
    batchId,
  });
}

/**
 * The contended path. One statement inserts the chunk's requests in key order or, where a request is
 * stored already (or being stored: it waits), locks that row: every writer takes its rows in the same
 * order, so concurrent chunks queue instead of deadlocking. Returns the stored rows it locked, by the
 * staged id of the request they belong to.
 */
async function insertOrLockRequests(
  client: pg.ClientBase,
  batchId: string,
  rows: Planned[],
): Promise<Map<string, StoredRequest>> {
  if (rows.length === 0) return new Map();
  const columns = auditEvents.columnList(AUDIT_ROW);
  await copyInto(
    client,
    'ingest_stage_requests',
    rows.map((planned) => `${rowText(planned, batchId)}\t${copyBytes(planned.originals)}`),
  );
  const result = await client.query<StoredRequest & { staged_id: string; inserted: boolean }>(
    `WITH written AS (
       INSERT INTO audit_events AS e (${columns})
       SELECT ${columns} FROM ingest_stage_requests ORDER BY cluster, audit_id, time
       ON CONFLICT (cluster, audit_id, time) DO UPDATE SET cluster = e.cluster
       RETURNING ${auditEvents.selectExact(AUDIT_ROW)}, e.cluster AS key_cluster, e.audit_id AS key_audit_id,
                 e.time AS key_time, e.id AS key_id)
     -- An inserted row carries the id it was staged with; a row stored before keeps its own.
     SELECT s.id::text AS staged_id, w.key_id = s.id AS inserted, w.* FROM written w
       JOIN ingest_stage_requests s ON s.cluster = w.key_cluster AND s.audit_id = w.key_audit_id AND s.time = w.key_time`,
  );
  const insertedIds = result.rows.filter((row) => row.inserted).map((row) => row.staged_id);
  await client.query(
    `INSERT INTO audit_event_originals (event_id, time, cluster, originals)
     SELECT id, time, cluster, originals FROM ingest_stage_requests WHERE id = ANY($1::bigint[])`,
    [insertedIds],
  );
  await client.query('DELETE FROM ingest_stage_requests');
  const locked = result.rows.filter((row) => !row.inserted);
  const stagedRequest = new Map(rows.map((planned) => [planned.id, planned.request]));
  await readStoredOriginals(
    client,
    locked.map((row) => [stagedRequest.get(row.staged_id)!, row]),
  );
  return new Map(locked.map((row) => [row.staged_id, row]));
}

async function insertRequests(client: pg.ClientBase, batchId: string, rows: Planned[]) {
  await copyInto(
    client,
    `audit_events (${auditEvents.columnList(AUDIT_ROW)})`,
    rows.map((planned) => rowText(planned, batchId)),
  );
  await copyInto(
    client,
    'audit_event_originals (event_id, time, cluster, originals)',
    rows.map(
      (planned) =>
        `${planned.id}\t${copyValue(planned.row.time)}\t${copyValue(planned.request.cluster)}\t${copyBytes(planned.originals)}`,
    ),
  );
}

// The key stays, and so do the batch and format that first stored the request.
const KEPT_FIELDS = new Set(['cluster', 'auditId', 'time', 'sourceFormat', 'batchId']);
const UPDATE_FIELDS = AUDIT_WRITTEN.filter((field) => !KEPT_FIELDS.has(field));

async function completeRequests(client: pg.ClientBase, batchId: string, rows: Planned[]) {
  await copyInto(
    client,
    'ingest_stage_requests',
    rows.map((planned) => `${rowText(planned, batchId)}\t${copyBytes(planned.originals)}`),
  );
  await client.query(
    `UPDATE audit_events e SET ${UPDATE_FIELDS.map((field) => `${auditEvents.columns[field].column} = s.${auditEvents.columns[field].column}`).join(', ')}
       FROM ingest_stage_requests s WHERE e.id = s.id AND e.time = s.time AND e.cluster = s.cluster`,
  );
  await client.query(
    `INSERT INTO audit_event_originals (event_id, time, cluster, originals)
     SELECT id, time, cluster, originals FROM ingest_stage_requests
     ON CONFLICT (event_id, time, cluster) DO UPDATE SET originals = EXCLUDED.originals`,
  );
  await client.query('DELETE FROM ingest_stage_requests');
}

/** What a request's row becomes when it is stored already: its new stages merged in, or nothing new. */
function planCompletion(request: ChunkRequest, existing: StoredRequest): { plan: Planned | null; duplicates: number } {
  const added = newStages(request, existing);
  const duplicates = Object.keys(request.originals).length - added.length;
  if (added.length === 0) return { plan: null, duplicates };
  return {
    duplicates,
    plan: {
      request,
      id: existing.id,
      row: mergeRequestStages<NormalizedAuditEvent>(existing, request.row),
      originals: addOriginals(
        existing.originals ?? null,
        originalsJson(Object.fromEntries(added.map((stage) => [stage, request.originals[stage]!]))),
      ),
      lines: added.map((stage) => request.lines[stage]!),
    },
  };
}

async function writeRequests(
  client: pg.ClientBase,
  batchId: string,
  requests: PreparedAuditChunk['requests'],
  repeats: number,
  contended: boolean,
): Promise<StoreResult> {
  // Uncontended, the requests already stored are locked first and the rest copied in (the fast path).
  const stored = contended ? new Map<number, StoredRequest>() : await lockStoredRequests(client, requests);
  const fresh: PreparedAuditChunk['requests'] = [];
  const completed: Planned[] = [];
  let duplicates = repeats;
  requests.forEach((request, ord) => {
    const existing = stored.get(ord);
    if (!existing) return fresh.push(request);
    const { plan, duplicates: repeated } = planCompletion(request, existing);
    duplicates += repeated;
    if (plan) completed.push(plan);
  });
  const ids = await nextIds(client, 'audit_events_id_seq', fresh.length);
  const inserts = fresh.map((request, index) => ({
    request,
    id: ids[index]!,
    row: request.row,
    originals: request.encoded,
    lines: Object.values(request.lines),
  }));
  const lockedAfter = new Set<string>();
  const inserted = await writeIsolating(client, inserts, linesOf, async (rows) => {
    if (!contended) return insertRequests(client, batchId, rows);
    for (const [stagedId, existing] of await insertOrLockRequests(client, batchId, rows)) {
      const planned = rows.find((row) => row.id === stagedId)!;
      lockedAfter.add(stagedId);
      const { plan, duplicates: repeated } = planCompletion(planned.request, existing);
      duplicates += repeated;
      if (plan) completed.push(plan);
    }
  });
  const updated = await writeIsolating(client, completed, linesOf, (rows) => completeRequests(client, batchId, rows));
  const written = [...inserted.written.filter((planned) => !lockedAfter.has(planned.id)), ...updated.written];
  return {
    stored: written.reduce((total, planned) => total + planned.lines.length, 0),
    requests: inserted.written.length - lockedAfter.size,
    duplicates,
    ...timeRange(written.map((planned) => planned.row.time)),
    rejected: [...inserted.rejected, ...updated.rejected],
  };
}

/** A chunk's records as requests, each with its originals encoded as stored. */
export type PreparedAuditChunk = { requests: (ChunkRequest & { encoded: Buffer })[]; repeats: number };

/** Merging and encoding need no database: the pipeline does them while the chunk before is written. */
export function prepareAuditChunk(records: readonly StagedRecord[]): PreparedAuditChunk {
  const { requests, repeats } = mergeChunkRequests(records);
  return {
    requests: requests.map((request) => ({ ...request, encoded: encodeOriginals(originalsJson(request.originals)) })),
    repeats,
  };
}

/** Stores a prepared chunk's requests inside the caller's transaction. */
export async function storeAuditEvents(
  client: pg.ClientBase,
  batchId: string,
  { requests, repeats }: PreparedAuditChunk,
): Promise<StoreResult> {
  if (requests.length === 0) return { ...EMPTY, duplicates: repeats };
  return runUntilSettled(client, (contended) => writeRequests(client, batchId, requests, repeats, contended));
}

const fileKey = (row: Staged<NormalizedFileEvent>) =>
  `${row.cluster}\u0000${row.event.eventKey}\u0000${Date.parse(row.event.time)}\u0000${row.event.time}`;

async function findStoredFileKeys(client: pg.ClientBase, rows: Staged<NormalizedFileEvent>[]): Promise<Set<number>> {
  const result = await client.query<{ ord: number }>(
    `SELECT k.ord FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::int[]) AS k(cluster, event_key, time, ord)
       JOIN file_events f ON f.cluster = k.cluster AND f.event_key = k.event_key AND f.time = k.time`,
    [
      rows.map((row) => row.cluster),
      rows.map((row) => row.event.eventKey),
      rows.map((row) => row.event.time),
      rows.map((_, ord) => ord),
    ],
  );
  return new Set(result.rows.map((row) => row.ord));
}

async function writeFileEvents(
  client: pg.ClientBase,
  batchId: string,
  rows: Staged<NormalizedFileEvent>[],
  repeats: number,
) {
  const stored = await findStoredFileKeys(client, rows);
  const fresh = rows.filter((_, ord) => !stored.has(ord));
  const ids = await nextIds(client, 'file_events_id_seq', fresh.length);
  const planned = fresh.map((row, index) => ({ row, id: ids[index]! }));
  const text = ({ row, id }: (typeof planned)[number]) =>
    fileEvents.copyRow(FILE_ROW, {
      ...row.event,
      id,
      cluster: row.cluster,
      sourceFormat: row.sourceFormat,
      batchId,
      original: originalText(row.event),
    });
  const { written, rejected } = await writeIsolating(
    client,
    planned,
    ({ row }) => [row.line],
    (subset) => copyInto(client, `file_events (${fileEvents.columnList(FILE_ROW)})`, subset.map(text)),
  );
  return {
    stored: written.length,
    requests: 0,
    duplicates: repeats + stored.size,
    ...timeRange(written.map(({ row }) => row.event.time)),
    rejected,
  };
}

/** Stores container file events inside the caller's transaction; the same event stored again is a duplicate. */
export async function storeFileEvents(
  client: pg.ClientBase,
  batchId: string,
  rows: Staged<NormalizedFileEvent>[],
): Promise<StoreResult> {
  const seen = new Set<string>();
  const unique = rows
    .filter((row) => {
      const key = fileKey(row);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((left, right) => (fileKey(left) < fileKey(right) ? -1 : 1));
  if (unique.length === 0) return { ...EMPTY, duplicates: rows.length };
  return runUntilSettled(client, () => writeFileEvents(client, batchId, unique, rows.length - unique.length));
}

export function mergeResults(a: StoreResult, b: StoreResult): StoreResult {
  const pick = (x: string | null, y: string | null, f: (p: string, q: string) => string) =>
    x === null ? y : y === null ? x : f(x, y);
  return {
    stored: a.stored + b.stored,
    requests: a.requests + b.requests,
    duplicates: a.duplicates + b.duplicates,
    minTime: pick(a.minTime, b.minTime, (p, q) => (p < q ? p : q)),
    maxTime: pick(a.maxTime, b.maxTime, (p, q) => (p > q ? p : q)),
    rejected: [...a.rejected, ...b.rejected],
  };
}
