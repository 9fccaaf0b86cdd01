// Computes the SQL that takes a database with every migration applied to the
// state described by schema.prisma, with Prisma's wasm schema engine driven
// through the pg driver adapter (no engine binary needed). See
// /work/shared/docs/prisma-offline.md for why each workaround below exists.
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  bindMigrationAwareSqlAdapterFactory,
  type ErrorRegistry,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { MigrationDirectory, MigrationList, SchemaContainer, SchemaEngine } from '@prisma/schema-engine-wasm';

type EngineGlue = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');

export type DiffSchemaOptions = {
  databaseUrl: string;
  schemaPath: string;
  migrationsDir: string;
};

export async function diffSchema(options: DiffSchemaOptions): Promise<string> {
  const [glue, content, migrations] = await Promise.all([
    loadEngine(),
    readFile(options.schemaPath, 'utf8'),
    readMigrations(options.migrationsDir),
  ]);
  const target = { path: options.schemaPath, content };
  return withShadowDatabase(options.databaseUrl, (shadowUrl) =>
    runDiff(glue, { mainUrl: options.databaseUrl, shadowUrl }, migrations, target),
  );
}

async function runDiff(
  glue: EngineGlue,
  urls: DatabaseUrls,
  migrations: MigrationList,
  target: SchemaContainer,
): Promise<string> {
  const pools = new Set<pg.Pool>();
  const factory = bindMigrationAwareSqlAdapterFactory(adapterFactory(urls, pools));
  let engine: SchemaEngine | undefined;
  try {
    engine = await glue.SchemaEngine.new({ datamodels: [[target.path, target.content]] }, () => {}, factory);
    const result = await engine.diff({
      from: { tag: 'migrations', ...migrations },
      to: { tag: 'schemaDatamodel', files: [target] },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    return normaliseScript(result.stdout ?? '');
  } catch (error) {
    throw explainEngineError(error, factory.errorRegistry);
  } finally {
    engine?.free();
    await Promise.allSettled([...pools].map((pool) => pool.end()));
  }
}

/**
 * Indexes the migrations make that schema.prisma cannot state (a btree operator class, a partial index, INCLUDE columns), so the diff
 * would always drop them: the only statement about them it may write is left out.
 */
export const UNMODELLED_INDEXES: readonly string[] = [
  'audit_events_pod_name_time_outcome_idx',
  'audit_events_request_uri_idx',
  'audit_events_secret_time_idx',
  'audit_events_secret_user_time_idx',
  'audit_events_source_ip_time_outcome_idx',
  'audit_events_time_outcome_idx',
  'audit_events_username_time_outcome_idx',
];

/** No difference comes back as a comment (`-- This is an empty migration.`), not as ''. */
function normaliseScript(script: string): string {
  const kept = script
    .split('\n')
    .filter((line) => !UNMODELLED_INDEXES.some((name) => line.trim() === `DROP INDEX "${name}";`))
    .join('\n');
  const statements = kept
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join('\n')
    .trim();
  return statements === '' ? '' : kept;
}

// --- Loading the engine ---------------------------------------------------

let enginePromise: Promise<EngineGlue> | undefined;

/** The package's entry imports the .wasm as an ES module, which Node cannot load. */
function loadEngine(): Promise<EngineGlue> {
  enginePromise ??= instantiateEngine().catch((error: unknown) => {
    enginePromise = undefined;
    throw error;
  });
  return enginePromise;
}

async function instantiateEngine(): Promise<EngineGlue> {
  const gluePath = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const glue = (await import(pathToFileURL(gluePath).href)) as EngineGlue;
  const wasmModule = await WebAssembly.compile(
    await readFile(path.join(path.dirname(gluePath), 'schema_engine_bg.wasm')),
  );
  const imports = unrefEngineTimers({ ...glue });
  const instance = new WebAssembly.Instance(wasmModule, {
    './schema_engine_bg.js': imports as WebAssembly.ModuleImports,
  });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return glue;
}

/**
 * The engine arms timers (advisory-lock and socket timeouts) that it never
 * clears; unreferenced, they still fire while a query keeps the process busy
 * but no longer keep a finished process alive.
 */
function unrefEngineTimers(imports: Record<string, unknown>): Record<string, unknown> {
  const name = Object.keys(imports).find((key) => key.startsWith('__wbg_setTimeout_'));
  if (!name) throw new Error('@prisma/schema-engine-wasm no longer imports setTimeout; review unrefEngineTimers');
  return { ...imports, [name]: (callback: () => void, delay: number) => setTimeout(callback, delay >>> 0).unref() };
}

// --- Driver adapter -------------------------------------------------------

type DatabaseUrls = {
  mainUrl: string;
  shadowUrl: string;
};

/**
 * adapter-pg's own shadow-database handling is broken, so the shadow database
 * is created and dropped by withShadowDatabase and the factory only connects.
 */
function adapterFactory(urls: DatabaseUrls, pools: Set<pg.Pool>): SqlMigrationAwareDriverAdapterFactory {
  const connect = async (connectionString: string): Promise<SqlDriverAdapter> => {
    const pool = new pg.Pool({ connectionString });
    // The shadow database is dropped WITH (FORCE) while a client may still be closing;
    // its "terminating connection" error is expected and must not crash the process.
    pool.on('error', () => {});
    pools.add(pool);
    relabelCharColumns(pool);
    const adapter = await new PrismaPg(pool).connect();
    // adapter-pg splits scripts on every `;`, breaking `$$` bodies; one simple
    // query (no parameters) runs a multi-statement script as a whole.
    adapter.executeScript = async (script) => {
      await adapter.executeRaw({ sql: script, args: [], argTypes: [] });
    };
    return adapter;
  };
  return {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    connect: () => connect(urls.mainUrl),
    connectToShadowDb: () => connect(urls.shadowUrl),
  };
}

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/** adapter-pg rejects Postgres' internal "char" type, which the engine reads while introspecting. */
function relabelCharColumns(pool: pg.Pool): void {
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<pg.QueryResult | pg.QueryResult[]>;
  const relabelled = async (...args: unknown[]) => {
    const result = await query(...args);
    for (const part of Array.isArray(result) ? result : [result]) {
      for (const field of part.fields ?? []) {
        if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
      }
    }
    return result;
  };
  Object.assign(pool, { query: relabelled });
}

/** Errors thrown inside the adapter reach us only as `External error id#N`. */
function explainEngineError(error: unknown, registry: ErrorRegistry): unknown {
  const message = error instanceof Error ? error.message : String(error);
  const id = /External error id#(\d+)/.exec(message)?.[1];
  const original = id === undefined ? undefined : registry.consumeError(Number(id))?.error;
  if (original === undefined) return error;
  const detail = original instanceof Error ? original.message : String(original);
  return new Error(message.replace(/External error id#\d+/, detail), { cause: original });
}

// --- Migrations folder ----------------------------------------------------

async function readMigrations(migrationsDir: string): Promise<MigrationList> {
  const baseDir = path.resolve(migrationsDir);
  const entries = await readdir(baseDir, { withFileTypes: true }).catch(ifMissing([]));
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const lockfile = await readFile(path.join(baseDir, 'migration_lock.toml'), 'utf8').catch(ifMissing(null));
  return {
    baseDir,
    // The engine takes the connector from the lockfile, which a project only
    // gets with its first migration; a lockfile missing later is a real error.
    lockfile: { path: 'migration_lock.toml', content: names.length === 0 ? (lockfile ?? MIGRATION_LOCK) : lockfile },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(names.map((name) => readMigrationDirectory(baseDir, name))),
  };
}

/** What `prisma migrate dev` writes as prisma/migrations/migration_lock.toml. */
export const MIGRATION_LOCK = `# Please do not edit this file manually
# It should be added in your version-control system (e.g., Git)
provider = "postgresql"
`;

async function readMigrationDirectory(baseDir: string, name: string): Promise<MigrationDirectory> {
  const file = path.join(baseDir, name, 'migration.sql');
  const content = await readFile(file, 'utf8').then(
    (value) => ({ tag: 'ok' as const, value }),
    (error: unknown) => ({ tag: 'error' as const, value: error instanceof Error ? error.message : String(error) }),
  );
  return { path: name, migrationFile: { path: 'migration.sql', content } };
}

function ifMissing<T>(fallback: T): (error: unknown) => T {
  return (error) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw error;
  };
}

// --- Shadow database ------------------------------------------------------

async function withShadowDatabase<T>(databaseUrl: string, run: (shadowUrl: string) => Promise<T>): Promise<T> {
  const name = `vigil_shadow_${randomUUID().replaceAll('-', '')}`;
  await withClient(databaseUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  try {
    const url = new URL(databaseUrl);
    url.pathname = `/${name}`;
    return await run(url.toString());
  } finally {
    // FORCE: a connection the engine leaked must not keep the database alive.
    await withClient(databaseUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  }
}

async function withClient<T>(databaseUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}
