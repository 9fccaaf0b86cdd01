// A table's columns defined once: field name, column, PostgreSQL type, how a value is written in
// COPY's text format and how a value read back from pg becomes the field. Staging DDL, COPY rows,
// SELECT lists and row mappers are all derived from one definition (see lib/events/*-columns.ts).

export type Codec<Value, Input = Value> = {
  /** The column's type, for DDL of staging tables. */
  pgType: string;
  /** The value in COPY text format (`\N` for null). */
  copy(value: Input): string;
  /** A value as pg returns it → the field's value. */
  read(raw: unknown): Value;
  /** A cast the SELECT list applies (bigint ids come back as text). */
  selectCast?: string;
  /** How to select the value exactly, as text a later COPY writes back unchanged (times: microseconds). */
  exact?: (expression: string) => string;
};

export type ColumnSpec<Value = unknown, Input = Value> = { column: string; codec: Codec<Value, Input> };

const ESCAPES = /[\\\n\r\t\0]/;
const ESCAPES_GLOBAL = /[\\\n\r\t\0]/g;
const ESCAPED: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '' };

/** A value in COPY's text format; NUL, which PostgreSQL text cannot hold, is dropped. */
export function copyValue(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value !== 'string') return String(value);
  return ESCAPES.test(value) ? value.replace(ESCAPES_GLOBAL, (char) => ESCAPED[char]!) : value;
}

/** A bytea value in COPY's text format (hex, its backslash escaped). */
export function copyBytes(value: Buffer): string {
  return `\\\\x${value.toString('hex')}`;
}

/** A text[] literal in COPY's text format. */
export function copyArray(values: readonly string[]): string {
  return copyValue(`{${values.map((value) => `"${value.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`);
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)$/;

/** Keeps full precision for RFC 3339 times; anything else Date can read is rewritten, so COPY never fails on a time. */
export function copyTime(value: string | Date | null): string {
  if (value === null) return '\\N';
  if (value instanceof Date) return value.toISOString();
  if (ISO_TIMESTAMP.test(value)) return value;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? '\\N' : new Date(ms).toISOString();
}

function copyInt(value: number | null): string {
  return value !== null && Number.isInteger(value) && Math.abs(value) < 2 ** 31 ? String(value) : '\\N';
}

const same = <T>(raw: unknown) => raw as T;

/** A timestamptz as RFC 3339 text with every microsecond PostgreSQL keeps (a JS Date keeps milliseconds). */
export const exactTimeSql = (expression: string) =>
  `to_char(${expression} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export const codecs = {
  /** bigint identity, carried as text (JS numbers lose precision past 2^53). */
  id: { pgType: 'bigint', copy: (value: string) => value, read: (raw) => String(raw), selectCast: '::text' },
  text: { pgType: 'text', copy: (value: string) => copyValue(value), read: same<string> },
  optionalText: { pgType: 'text', copy: (value: string | null) => copyValue(value), read: same<string | null> },
  textArray: {
    pgType: 'text[]',
    copy: (value: readonly string[]) => copyArray(value),
    read: (raw) => (raw ?? []) as string[],
  },
  optionalInt: { pgType: 'int', copy: copyInt, read: same<number | null> },
  optionalBoolean: { pgType: 'boolean', copy: (value: boolean | null) => copyValue(value), read: same<boolean | null> },
  /** Written from the ingest's full-precision ISO text (or a Date); read back as a Date (milliseconds). */
  time: {
    pgType: 'timestamptz',
    copy: (value: string | Date) => copyTime(value),
    read: same<Date>,
    exact: exactTimeSql,
  },
  optionalTime: {
    pgType: 'timestamptz',
    copy: (value: string | Date | null) => copyTime(value),
    read: same<Date | null>,
    exact: exactTimeSql,
  },
  optionalUuid: { pgType: 'uuid', copy: (value: string | null) => copyValue(value), read: same<string | null> },
  /** A JSON document, written as its text (already safe for jsonb), read back parsed. */
  json: { pgType: 'jsonb', copy: (text: string) => copyValue(text), read: same<unknown> },
} satisfies Record<string, Codec<unknown, never>>;

export type TableColumns = Record<string, ColumnSpec<unknown, never>>;

/** The row type a definition describes: each field's value as it is read back. */
export type RowOf<Columns extends TableColumns> = {
  [Field in keyof Columns]: ReturnType<Columns[Field]['codec']['read']>;
};

/** What each field takes when written (COPY). */
export type InputOf<Columns extends TableColumns> = {
  [Field in keyof Columns]: Parameters<Columns[Field]['codec']['copy']>[0];
};

export function column<Value, Input>(name: string, codec: Codec<Value, Input>): ColumnSpec<Value, Input> {
  return { column: name, codec };
}

export type Table<Columns extends TableColumns> = {
  name: string;
  alias: string;
  columns: Columns;
  /** `e.audit_id AS "auditId", …` for the fields, over the table's alias (or another one). */
  select<Field extends keyof Columns & string>(fields: readonly Field[], alias?: string): string;
  /** The same, each value as the text COPY takes back unchanged (times to the microsecond), for read-modify-write. */
  selectExact<Field extends keyof Columns & string>(fields: readonly Field[], alias?: string): string;
  /** A row selected with `select` → the fields' values. */
  read<Field extends keyof Columns & string>(
    row: Record<string, unknown>,
    fields: readonly Field[],
  ): Pick<RowOf<Columns>, Field>;
  /** The columns, in order, as `a, b, c`. */
  columnList(fields: readonly (keyof Columns & string)[]): string;
  /** One COPY text row of the fields, read from `values`. */
  copyRow<Field extends keyof Columns & string>(
    fields: readonly Field[],
    values: Pick<InputOf<Columns>, Field>,
  ): string;
  /** `a text, b int[]`, for a staging table's DDL. */
  ddl(fields: readonly (keyof Columns & string)[]): string;
};

export function defineTable<Columns extends TableColumns>(
  name: string,
  alias: string,
  columns: Columns,
): Table<Columns> {
  const spec = (field: string) => columns[field] as unknown as ColumnSpec<unknown, unknown>;
  return {
    name,
    alias,
    columns,
    select: (fields, as = alias) =>
      fields
        .map((field) => `${as}.${spec(field).column}${spec(field).codec.selectCast ?? ''} AS "${field}"`)
        .join(', '),
    selectExact: (fields, as = alias) =>
      fields
        .map((field) => {
          const { column: name, codec } = spec(field);
          const expression = `${as}.${name}`;
          return `${codec.exact ? codec.exact(expression) : `${expression}${codec.selectCast ?? ''}`} AS "${field}"`;
        })
        .join(', '),
    read(row, fields) {
      const out: Record<string, unknown> = {};
      for (const field of fields) out[field] = spec(field).codec.read(row[field]);
      return out as never;
    },
    columnList: (fields) => fields.map((field) => spec(field).column).join(', '),
    copyRow(fields, values) {
      const cells = new Array<string>(fields.length);
      for (let index = 0; index < fields.length; index++) {
        const field = fields[index]!;
        cells[index] = spec(field).codec.copy((values as Record<string, unknown>)[field]);
      }
      return cells.join('\t');
    },
    ddl: (fields) => fields.map((field) => `${spec(field).column} ${spec(field).codec.pgType}`).join(', '),
  };
}
