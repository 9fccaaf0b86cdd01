import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../lib/db/embedded';
import { findFreePort } from '../../lib/net/find-free-port';

const running: EmbeddedDatabase[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((database) => database.stop().catch(() => {})));
});

function newDataDir() {
  const base = mkdtempSync(path.join(os.tmpdir(), 'vigil-embedded-'));
  chmodSync(base, 0o755); // as root, PostgreSQL runs as "postgres", which must reach the folder
  return path.join(base, 'data');
}

async function start(dataDir: string, port: number) {
  const database = await startEmbeddedDatabase({ dataDir, port });
  running.push(database);
  return database;
}

async function sql<T extends pg.QueryResultRow>(url: string, text: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

function postmasterPid(database: EmbeddedDatabase) {
  return Number(readFileSync(path.join(database.clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

async function waitUntilGone(pid: number) {
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`process ${pid} did not exit`);
}

describe('embedded PostgreSQL', () => {
  it('initialises on first start and keeps its data across stop and start', async () => {
    const dataDir = newDataDir();
    const port = await findFreePort();
    const first = await start(dataDir, port);
    expect(first.reused).toBe(false);
    expect(first.url).toMatch(new RegExp(`^postgresql://postgres:[^@]+@127\\.0\\.0\\.1:${port}/vigil$`));
    await sql(first.url, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('survives')");
    await first.stop();
    await expect(sql(first.url, 'SELECT 1')).rejects.toThrow();

    const second = await start(dataDir, port);
    expect(second.url).toBe(first.url);
    expect(await sql(second.url, 'SELECT v FROM kept')).toEqual([{ v: 'survives' }]);
  });

  it('reuses the server a hard-killed owner left running, with its data', async () => {
    const dataDir = newDataDir();
    const port = await findFreePort();
    const owner = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(import.meta.dirname, '../support/hold-embedded-database.ts'),
        dataDir,
        String(port),
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const url = await new Promise<string>((resolve, reject) => {
      owner.stdout.on('data', (chunk: Buffer) => {
        const match = /^ready (\S+)/m.exec(chunk.toString());
        if (match?.[1]) resolve(match[1]);
      });
      owner.once('exit', (code) => reject(new Error(`owner exited with ${code}`)));
    });
    await sql(url, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('before the kill')");
    owner.kill('SIGKILL');
    await new Promise((resolve) => owner.once('exit', resolve));

    const next = await start(dataDir, port);
    expect(next.reused).toBe(true);
    expect(await sql(next.url, 'SELECT v FROM kept')).toEqual([{ v: 'before the kill' }]);
  });

  it('recovers after the server itself was killed, leaving a stale postmaster.pid', async () => {
    const dataDir = newDataDir();
    const port = await findFreePort();
    const first = await start(dataDir, port);
    await sql(first.url, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('committed')");
    const pid = postmasterPid(first);
    process.kill(pid, 'SIGKILL');
    await waitUntilGone(pid);
    expect(existsSync(path.join(first.clusterDir, 'postmaster.pid'))).toBe(true);

    const second = await start(dataDir, port);
    expect(second.reused).toBe(false);
    expect(await sql(second.url, 'SELECT v FROM kept')).toEqual([{ v: 'committed' }]);
  });

  it('moves an interrupted first initialisation aside instead of deleting it, and starts afresh', async () => {
    const dataDir = newDataDir();
    mkdirSync(path.join(dataDir, 'postgres'), { recursive: true });
    writeFileSync(path.join(dataDir, 'postgres', 'half-written'), 'initdb was killed here');
    const database = await start(dataDir, await findFreePort());
    expect(await sql(database.url, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
    const aside = readdirSync(dataDir).filter((name) => name.startsWith('postgres.incomplete-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(path.join(dataDir, aside[0] ?? '', 'half-written'), 'utf8')).toBe('initdb was killed here');
  });

  it('lets two starts on one data folder take turns and share one server', async () => {
    const dataDir = newDataDir();
    const port = await findFreePort();
    const [a, b] = await Promise.all([start(dataDir, port), start(dataDir, port)]);
    expect(a.url).toBe(b.url);
    expect([a.reused, b.reused].sort()).toEqual([false, true]);
  });

  it('refuses a port that another PostgreSQL server answers on', async () => {
    const port = await findFreePort();
    await start(newDataDir(), port);
    await expect(startEmbeddedDatabase({ dataDir: newDataDir(), port })).rejects.toThrow(
      `Port ${port} is used by another PostgreSQL server`,
    );
  });
});
