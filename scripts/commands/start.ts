// `npm start`: the whole app in one command — database (embedded unless
// DATABASE_URL is set), migrations, seed, build when needed, web server and worker.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { createDb } from '../../lib/db/client';
import { redactDatabaseUrl } from '../../lib/db/database-url';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../lib/db/embedded';
import { getEnv } from '../../lib/env';
import { seedDatabase } from '../../lib/seed/seed-database';
import { applyAllMigrations } from './migrate';
import { spawnWebServer } from './web';

const root = process.cwd();
const say = (message: string) => console.log(`[vigil] ${message}`);

export async function startCommand() {
  const env = getEnv();
  let embedded: EmbeddedDatabase | undefined;
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
    process.exit(code);
  }
  process.on('SIGINT', () => void shutDown(0));
  process.on('SIGTERM', () => void shutDown(0));

  let databaseUrl = env.DATABASE_URL;
  if (databaseUrl) {
    say(`database: ${redactDatabaseUrl(databaseUrl)}`);
  } else {
    embedded = await startEmbeddedDatabase({ dataDir: env.dataDir, port: env.VIGIL_EMBEDDED_PG_PORT, log: say });
    databaseUrl = embedded.url;
  }

  const migrations = await applyAllMigrations(databaseUrl);
  say(migrations.applied.length > 0 ? `applied migrations: ${migrations.applied.join(', ')}` : 'migrations up to date');
  const db = createDb(databaseUrl, 2);
  const seeded = await seedDatabase(db, { demo: env.VIGIL_SEED_DEMO });
  await db.$disconnect();
  say(`seed: ${seeded.rulesCreated} rule(s) created; demo data ${seeded.demo}`);

  buildIfNeeded();
  if (stopping) return;

  const childEnv: NodeJS.ProcessEnv = { DATABASE_URL: databaseUrl, NODE_ENV: 'production' };
  const web = spawnWebServer(childEnv, env.PORT, env.HOST);
  const worker = spawn(process.execPath, [path.join(root, 'bin/vigil.mjs'), 'worker'], {
    env: { ...process.env, ...childEnv },
    stdio: 'inherit',
  });
  children.push(web, worker);
  for (const [name, child] of [['web server', web], ['worker', worker]] as const) {
    child.on('exit', (code, signal) => {
      if (stopping) return;
      say(`${name} exited (${signal ?? `code ${code}`}); stopping everything`);
      void shutDown(1);
    });
  }

  await waitForHttp(`http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${env.PORT}/api/health`);
  if (!stopping) say(`Vigil is running at http://localhost:${env.PORT} — press Ctrl-C to stop`);
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

const SOURCE_ENTRIES = ['app', 'components', 'lib', 'next.config.js', 'package-lock.json', 'tsconfig.json'];

/** Builds the app when there is no build yet or a source file is newer than it. */
function buildIfNeeded() {
  const buildId = path.join(root, '.next', 'BUILD_ID');
  const builtAt = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  if (builtAt > 0 && newestSourceChange() <= builtAt) return;
  say(builtAt === 0 ? 'building the app (first run, about a minute)…' : 'sources changed since the last build; rebuilding…');
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules/next/dist/bin/next'), 'build'], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (result.status !== 0) throw new Error('`next build` failed; see its output above.');
}

function newestSourceChange(): number {
  let newest = 0;
  const visit = (entry: string) => {
    if (!existsSync(entry) || entry.includes(`${path.sep}generated`)) return;
    const stats = statSync(entry);
    if (stats.isDirectory()) for (const child of readdirSync(entry)) visit(path.join(entry, child));
    else newest = Math.max(newest, stats.mtimeMs);
  };
  for (const entry of SOURCE_ENTRIES) visit(path.join(root, entry));
  return newest;
}
