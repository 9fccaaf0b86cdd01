// The one definition of each event table against what the migrations build and what Prisma models:
// adding a column to one and not the others fails here.
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { Table, TableColumns } from '../../lib/db/table-columns';
import { Prisma } from '../../lib/db/generated/client';
import { Severity as PrismaSeverity } from '../../lib/db/generated/enums';
import { auditEvents } from '../../lib/events/audit-event-columns';
import { fileEvents } from '../../lib/events/file-event-columns';
import { SEVERITIES } from '../../lib/vocabulary/severity';
import { serviceAccountNamespace, serviceAccountNamespaceSql } from '../../lib/vocabulary/service-account';

const pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 1 });
afterAll(() => pool.end());

/** information_schema's names for the codecs' types. */
const PG_TYPES: Record<string, string> = {
  bigint: 'int8',
  text: 'text',
  'text[]': '_text',
  int: 'int4',
  boolean: 'bool',
  timestamptz: 'timestamptz',
  uuid: 'uuid',
  jsonb: 'jsonb',
};

async function databaseColumns(table: string) {
  const result = await pool.query<{ column_name: string; udt_name: string }>(
    `SELECT column_name, udt_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`,
    [table],
  );
  return Object.fromEntries(result.rows.map((row) => [row.column_name, row.udt_name]));
}

describe.each([
  ['audit_events', auditEvents as unknown as Table<TableColumns>, Prisma.AuditEventScalarFieldEnum],
  ['file_events', fileEvents as unknown as Table<TableColumns>, Prisma.FileEventScalarFieldEnum],
])('the definition of %s', (name, table, prismaFields) => {
  it('names exactly the columns the migrations create, with their types', async () => {
    const columns = await databaseColumns(name);
    const defined = Object.fromEntries(
      Object.values(table.columns).map((spec) => [spec.column, PG_TYPES[spec.codec.pgType]]),
    );
    expect(defined).toEqual(columns);
  });

  it("has exactly Prisma's fields", () => {
    expect(Object.keys(table.columns).sort()).toEqual(Object.keys(prismaFields).sort());
  });
});

describe('the evidence copies', () => {
  it('have the columns of the tables they copy (and the request its stages), so nothing is lost in the copy', async () => {
    const columns = (table: Table<TableColumns>) =>
      Object.fromEntries(Object.values(table.columns).map((spec) => [spec.column, PG_TYPES[spec.codec.pgType]]));
    expect(await databaseColumns('evidence_audit_events')).toEqual({
      ...columns(auditEvents as unknown as Table<TableColumns>),
      originals: 'bytea',
    });
    expect(await databaseColumns('evidence_file_events')).toEqual(
      columns(fileEvents as unknown as Table<TableColumns>),
    );
  });
});

describe('shared vocabulary', () => {
  it("lists the database's severities, lowest first", () => {
    expect([...SEVERITIES]).toEqual(Object.values(PrismaSeverity));
  });

  it('reads a service-account namespace the same way in TypeScript and in SQL', async () => {
    const usernames = [
      'system:serviceaccount:payments:api',
      'system:serviceaccount:kube-system:default',
      'system:serviceaccount:payments',
      'system:serviceaccount:a:b:c',
      'system:serviceaccounts:payments',
      'system:node:ip-10-0-0-1',
      'alice@example.com',
      '',
    ];
    const result = await pool.query<{ username: string; namespace: string | null }>(
      `SELECT username, ${serviceAccountNamespaceSql('username')} AS namespace FROM unnest($1::text[]) AS u(username)`,
      [usernames],
    );
    expect(result.rows.map((row) => row.namespace)).toEqual(
      usernames.map((username) => serviceAccountNamespace(username)),
    );
    expect(result.rows.map((row) => row.namespace)).toEqual([
      'payments',
      'kube-system',
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
  });
});
