// Stores normalized events with COPY: into a per-connection staging table, then one
// INSERT … ON CONFLICT DO NOTHING that deduplicates on (cluster, auditID, stage) against
// everything stored before, including by a concurrent upload of an overlapping file.
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
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

const ESCAPES = /[\\\n\r\t\0]/;
const ESCAPES_GLOBAL = /[\\\n\r\t\0]/g;
const ESCAPED: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '' };

/** A value in COPY's text format; NUL, which PostgreSQL text cannot hold, is dropped. */
export function copyValue(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value !== 'string') return String(value);
  return ESCAPES.test(value) ? value.replace(ESCAPES_GLOBAL, (char) => ESCAPED[char]!) : value;
}

/** A text[] literal in COPY's text format. */
export function copyArray(values: readonly string[]): string {
  return copyValue(`{${values.map((value) => `"${value.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`);
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)$/;

/** Keeps full precision for RFC 3339 times; anything else Date can read is rewritten, so COPY never fails on a time. */
export function copyTime(value: string | null): string {
  if (value === null) return '\\N';
  if (ISO_TIMESTAMP.test(value)) return value;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? '\\N' : new Date(ms).toISOString();
}

function copyInt(value: number | null): string {
  return value !== null && Number.isInteger(value) && Math.abs(value) < 2 ** 31 ? String(value) : '\\N';
}

/** The original as JSON text; normalization (sanitizeOriginal) already made it safe for jsonb. */
export function jsonbText(original: unknown, originalText: string | undefined): string {
  return originalText ?? JSON.stringify(original);
}

const AUDIT_COLUMNS = [
  'cluster',
  'audit_id',
  'stage',
  'time',
  'stage_time',
  'level',
  'verb',
  'username',
  'user_uid',
  'groups',
  'user_agent',
  'source_ips',
  'source_ip',
  'resource',
  'subresource',
  'namespace',
  'name',
  'api_group',
  'api_version',
  'request_uri',
  'response_code',
  'decision',
  'reason',
  'pod_name',
  'pod_uid',
  'node_name',
  'impersonated_user',
  'source_format',
] as const;

const FILE_COLUMNS = [
  'cluster',
  'event_key',
  'time',
  'path',
  'action',
  'types',
  'interactive',
  'process_name',
  'process_executable',
  'process_args',
  'process_pid',
  'process_user',
  'container_id',
  'pod_name',
  'namespace',
  'host_os',
  'source_format',
] as const;

const CREATE_STAGING = `
  CREATE TEMP TABLE IF NOT EXISTS ingest_stage_audit (
    ord int, cluster text, audit_id text, stage text, time timestamptz, stage_time timestamptz, level text,
    verb text, username text, user_uid text, groups text[], user_agent text, source_ips text[], source_ip text,
    resource text, subresource text, namespace text, name text, api_group text, api_version text,
    request_uri text, response_code int, decision text, reason text, pod_name text, pod_uid text,
    node_name text, impersonated_user text, source_format text, original text
  ) ON COMMIT DELETE ROWS;
  CREATE TEMP TABLE IF NOT EXISTS ingest_stage_file (
    ord int, cluster text, event_key text, time timestamptz, path text, action text, types text[],
    interactive boolean, process_name text, process_executable text, process_args text[], process_pid int,
    process_user text, container_id text, pod_name text, namespace text, host_os text, source_format text,
    original text
  ) ON COMMIT DELETE ROWS;`;

const INSERT_AUDIT = `
  WITH ins AS (
    INSERT INTO audit_events (${AUDIT_COLUMNS.join(', ')}, batch_id)
    SELECT ${AUDIT_COLUMNS.join(', ')}, $1::uuid FROM ingest_stage_audit
    ON CONFLICT (cluster, audit_id, stage) DO NOTHING
    RETURNING id, cluster, audit_id, stage, time
  ), originals AS (
    INSERT INTO audit_event_originals (event_id, original)
    SELECT ins.id, staged.original::jsonb FROM ins JOIN ingest_stage_audit staged USING (cluster, audit_id, stage)
  )
  SELECT count(*)::int AS stored, min(time) AS min_time, max(time) AS max_time FROM ins`;

const INSERT_FILE = `
  WITH ins AS (
    INSERT INTO file_events (${FILE_COLUMNS.join(', ')}, original, batch_id)
    SELECT ${FILE_COLUMNS.join(', ')}, original::jsonb, $1::uuid FROM ingest_stage_file
    ON CONFLICT (cluster, event_key) DO NOTHING
    RETURNING time
  )
  SELECT count(*)::int AS stored, min(time) AS min_time, max(time) AS max_time FROM ins`;

/** The audit_events columns of AUDIT_COLUMNS, in COPY text format. */
function auditValues(staged: Staged<NormalizedAuditEvent>): string[] {
  const e = staged.event;
  return [
    copyValue(staged.cluster),
    copyValue(e.auditId),
    copyValue(e.stage),
    copyTime(e.time),
    copyTime(e.stageTime),
    copyValue(e.level),
    copyValue(e.verb),
    copyValue(e.username),
    copyValue(e.userUid),
    copyArray(e.groups),
    copyValue(e.userAgent),
    copyArray(e.sourceIps),
    copyValue(e.sourceIp),
    copyValue(e.resource),
    copyValue(e.subresource),
    copyValue(e.namespace),
    copyValue(e.name),
    copyValue(e.apiGroup),
    copyValue(e.apiVersion),
    copyValue(e.requestUri),
    copyInt(e.responseCode),
    copyValue(e.decision),
    copyValue(e.reason),
    copyValue(e.podName),
    copyValue(e.podUid),
    copyValue(e.nodeName),
    copyValue(e.impersonatedUser),
    copyValue(staged.sourceFormat),
  ];
}

/** A staging row: order, the columns, the original document. */
export function auditRow(staged: Staged<NormalizedAuditEvent>, ord: number): string {
  return [
    String(ord),
    ...auditValues(staged),
    copyValue(jsonbText(staged.event.original, staged.event.originalText)),
  ].join('\t');
}

function fileRow(staged: Staged<NormalizedFileEvent>, ord: number): string {
  const e = staged.event;
  return [
    String(ord),
    copyValue(staged.cluster),
    copyValue(e.eventKey),
    copyTime(e.time),
    copyValue(e.path),
    copyValue(e.action),
    copyArray(e.types),
    copyValue(e.interactive),
    copyValue(e.processName),
    copyValue(e.processExecutable),
    copyArray(e.processArgs),
    copyInt(e.processPid),
    copyValue(e.processUser),
    copyValue(e.containerId),
    copyValue(e.podName),
    copyValue(e.namespace),
    copyValue(e.hostOs),
    copyValue(staged.sourceFormat),
    copyValue(jsonbText(e.original, e.originalText)),
  ].join('\t');
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

type Kind = { table: string; insert: string; row: (staged: never, ord: number) => string };
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
      rows.map((row, ord) => kind.row(row as never, ord)),
    );
    const result = await client.query<{ stored: number; min_time: Date | null; max_time: Date | null }>(kind.insert, [
      batchId,
    ]);
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
    eventRows.push([id, ...auditValues(row), batchId].join('\t'));
    originalRows.push(`${id}\t${copyValue(jsonbText(row.event.original, row.event.originalText))}`);
  });
  await client.query('SAVEPOINT direct_copy');
  try {
    await copyInto(client, `audit_events (id, ${AUDIT_COLUMNS.join(', ')}, batch_id)`, eventRows);
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
