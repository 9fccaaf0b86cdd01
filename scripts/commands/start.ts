// `npm start`: the whole app in one command — database (embedded unless
// DATABASE_URL is set), migrations, seed, build when needed, web server and worker.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { createDb } from '../../lib/db/client';
import { redactDatabaseUrl } from '../../lib/db/database-url';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../lib/db/embedded';
import { getEnv } from '../../lib/env';
import { tryAcquireProcessLock, type ProcessLock } from '../../lib/process-lock';
import { issueSetupToken } from '../../lib/auth/first-run';
import { seedDatabase } from '../../lib/seed/seed-database';
import { buildIfNeeded } from '../build-if-needed';
import { applyAllMigrations } from './migrate';
import { spawnWebServer } from './web';

const root = process.cwd();
const say = (message: string) => console.log(`[vigil] ${message}`);

export async function startCommand() {
  const env = getEnv();
  let embedded: EmbeddedDatabase | undefined;
  let launcherLock: ProcessLock | undefined;
  const children: ChildProcess[] = [];
  let stopping = false;

  async function shutDown(code: number) {
    if (stopping) return;
    stopping = true;
    say('shutting down…');
    await Promise.all(children.map((child) => stopChild(child)));
    if (embedded) {
      await embedded.stop().catch((error: unknown) => say(`could not stop the embedded database: ${String(error)}`));
      say('embedded database stopped');
    }
    await launcherLock?.release();
    process.exit(code);
  }
  process.on('SIGINT', () => void shutDown(0));
  process.on('SIGTERM', () => void shutDown(0));

  try {
    await bringUp();
  } catch (error) {
    console.error(`vigil: ${error instanceof Error ? error.message : String(error)}`);
    await shutDown(1);
  }

  async function bringUp() {
    let databaseUrl = env.DATABASE_URL;
    if (databaseUrl) {
      say(`database: ${redactDatabaseUrl(databaseUrl)}`);
    } else {
      // One launcher owns the embedded database: a second `npm start` must not stop it under the first.
      await mkdir(env.dataDir, { recursive: true, mode: 0o711 });
      const attempt = await tryAcquireProcessLock(path.join(env.dataDir, 'vigil.pid'));
      if (!attempt.acquired) {
        throw new Error(
          `Vigil is already running with this data folder (process ${attempt.heldBy}). Stop it first, or open the app it serves.`,
        );
      }
      launcherLock = attempt.lock;
      embedded = await startEmbeddedDatabase({ dataDir: env.dataDir, port: env.VIGIL_EMBEDDED_PG_PORT, log: say });
      databaseUrl = embedded.url;
    }

    const migrations = await applyAllMigrations(databaseUrl);
    say(
      migrations.applied.length > 0 ? `applied migrations: ${migrations.applied.join(', ')}` : 'migrations up to date',
    );
    const db = createDb(databaseUrl, 2);
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    const seeded = await seedDatabase(
      db,
      env.VIGIL_SEED_DEMO ? { demo: true, pool, now: new Date() } : { demo: false },
    );
    const setupToken = await issueSetupToken(db).finally(async () => {
      await db.$disconnect();
      await pool.end();
    });
    say(`seed: ${seeded.rulesCreated} rule(s) created; demo data ${seeded.demo}`);

    buildIfNeeded(root, say);
    if (stopping) return;

    const childEnv: NodeJS.ProcessEnv = { DATABASE_URL: databaseUrl, NODE_ENV: 'production' };
    const web = spawnWebServer(childEnv, env.PORT, env.HOST);
    const worker = spawn(process.execPath, [path.join(root, 'bin/vigil.mjs'), 'worker'], {
      env: { ...process.env, ...childEnv },
      stdio: 'inherit',
    });
    children.push(web, worker);
    for (const [name, child] of [
      ['web server', web],
      ['worker', worker],
    ] as const) {
      child.on('exit', (code, signal) => {
        if (stopping) return;
        say(`${name} exited (${signal ?? `code ${code}`}); stopping everything`);
        void shutDown(1);
      });
    }

    await waitForHttp(`http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${env.PORT}/api/health`);
    if (stopping) return;
    const url = (env.VIGIL_PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, '');
    say(`Vigil is running at ${url} — press Ctrl-C to stop`);
    say(
      setupToken
        ? `no accounts yet: create the first admin at ${url}/setup?token=${setupToken}\n` +
            `        (or on this machine: npx vigil user create --role admin --email you@example.com)`
        : `sign in at ${url}/sign-in (accounts: npx vigil user list; a new one: npx vigil user create)`,
    );
  }
}

function stopChild(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function waitForHttp(url: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(2000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  say(`the web server did not answer at ${url} within ${timeoutMs / 1000} s`);
}
