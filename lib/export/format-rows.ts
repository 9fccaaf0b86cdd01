// Rows as CSV or NDJSON text: pure functions (no I/O), so the streaming export (the HTTP side,
// app/api/_lib/stream-export.ts) only moves bytes and these are tested with plain vectors.

export const exportFormats = ['csv', 'ndjson'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** One column of an export: its header (the NDJSON key too) and how to take its value from a row. */
export type ExportColumn<Row> = {
  header: string;
  value: (row: Row) => unknown;
};

/** What an export reads and writes: one SELECT, the file's columns and how a row becomes what they read. */
export type ExportQuery<Raw, Row> = {
  /** One SELECT with $1… placeholders and an ORDER BY, without a trailing semicolon. */
  sql: string;
  params: readonly unknown[];
  /** For the file name: vigil-<name>-<UTC time>.<csv|ndjson>. */
  name: string;
  columns: readonly ExportColumn<Row>[];
  mapRow: (raw: Raw) => Row;
};

export const exportContentTypes: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson',
};

/** RFC 4180 ends records with CRLF. */
const CSV_EOL = '\r\n';

/** Joins the items of an array cell. Kubernetes names never hold it; NDJSON keeps arrays as arrays. */
export const CSV_ARRAY_SEPARATOR = ';';

// Spreadsheet formula injection (CWE-1236): Excel, LibreOffice and Google Sheets run a cell
// that starts with one of these as a formula, e.g. =HYPERLINK("http://evil", "click") or a
// DDE payload. Audit logs are attacker-controlled (a user agent, a pod or secret name is
// whatever the caller sent), so an exported cell must never be able to execute when an
// analyst opens the file. OWASP's remedy: prefix such a cell with a single quote, which
// spreadsheets read as "this is text" and do not display. Only text is guarded: numbers,
// booleans and dates come from typed columns, and "-3" must stay a number.
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);

/** The cell with a leading ' when a spreadsheet would otherwise read it as a formula. */
export function guardFormula(text: string): string {
  return text.length > 0 && FORMULA_TRIGGERS.has(text[0]!) ? `'${text}` : text;
}

/** RFC 4180: a field holding a quote, comma, CR or LF is quoted, its quotes doubled. */
export function quoteCsvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A value as plain text, before guarding and quoting: null is empty, times ISO UTC. */
function csvText(value: unknown): { text: string; typed: boolean } {
  if (value === null || value === undefined) return { text: '', typed: true };
  if (value instanceof Date) return { text: isoOrEmpty(value), typed: true };
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    return { text: String(value), typed: true };
  }
  if (typeof value === 'string') return { text: value, typed: false };
  if (Array.isArray(value)) {
    // Each item guarded on its own: where `;` separates fields (some locales), every item starts a cell.
    const items = value.map((item) => {
      if (item !== null && typeof item === 'object' && !(item instanceof Date)) return guardFormula(toJson(item));
      const { text, typed } = csvText(item);
      return typed ? text : guardFormula(text);
    });
    return { text: items.join(CSV_ARRAY_SEPARATOR), typed: true };
  }
  return { text: toJson(value), typed: false };
}

/** One CSV field: text formula-guarded, then quoted as RFC 4180 asks. */
export function formatCsvCell(value: unknown): string {
  const { text, typed } = csvText(value);
  return quoteCsvField(typed ? text : guardFormula(text));
}

export function formatCsvHeader(columns: readonly ExportColumn<never>[]): string {
  return columns.map((column) => formatCsvCell(column.header)).join(',') + CSV_EOL;
}

export function formatCsvRow<Row>(row: Row, columns: readonly ExportColumn<Row>[]): string {
  return columns.map((column) => formatCsvCell(column.value(row))).join(',') + CSV_EOL;
}

/** One NDJSON line: an object keyed by the column headers, values as they are (times ISO UTC). */
export function formatNdjsonRow<Row>(row: Row, columns: readonly ExportColumn<Row>[]): string {
  const record: Record<string, unknown> = {};
  for (const column of columns) record[column.header] = column.value(row) ?? null;
  return toJson(record) + '\n';
}

/** The text an export starts with: the CSV header line, nothing for NDJSON. */
export function formatPreamble(format: ExportFormat, columns: readonly ExportColumn<never>[]): string {
  return format === 'csv' ? formatCsvHeader(columns) : '';
}

/** Rows of a batch as one string. */
export function formatRows<Row>(format: ExportFormat, rows: readonly Row[], columns: readonly ExportColumn<Row>[]) {
  const formatRow = format === 'csv' ? formatCsvRow<Row> : formatNdjsonRow<Row>;
  let out = '';
  for (const row of rows) out += formatRow(row, columns);
  return out;
}

/** `vigil-alerts-20430115T093000Z.csv`: the UTC time without separators a file system may refuse. */
export function exportFilename(what: string, format: ExportFormat, now: Date): string {
  const slug =
    what
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'export';
  const stamp = now
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
  return `vigil-${slug}-${stamp}.${format}`;
}

function isoOrEmpty(date: Date): string {
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

/** JSON.stringify that writes bigints (pg's int8 when parsed so) as numbers' text rather than throwing. */
function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item));
}
