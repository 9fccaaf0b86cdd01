// Scale-out on one database: two web servers and two workers, as the README's production topology
// runs them. Uploads land on either server (the same files on both), detect jobs split between the
// workers, every alert exists once with its exact evidence, and a session works on both servers.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { findFreePort } from '../../lib/net/find-free-port';
import { SESSION_COOKIE, signInOverHttp, TEST_PASSWORD, uniqueEmail } from '../support/accounts';
import { auditRequest, type AuditRequestInput } from '../support/investigation-events';
import { bothStages, ndjson } from '../support/audit-events';
import { createScratchDatabase, type ScratchDatabase } from '../support/database';
import { runCli, VIGIL_BIN } from '../support/run-cli';
import { waitFor } from '../support/wait-for';

const ROOT = path.join(import.meta.dirname, '../..');
const WEB_SERVER_BIN = path.join(ROOT, 'bin/web-server.mjs');
const RULE = 'rapid-secret-get-multiple-objects';
const CLUSTERS = Array.from({ length: 12 }, (_, index) => `scale-${String(index).padStart(2, '0')}`);

type Running = { name: string; child: ChildProcess; output: () => string };

let database: ScratchDatabase;
let pool: pg.Pool;
const processes: Running[] = [];
let webs: { name: string; baseUrl: string }[] = [];
let workers: Running[] = [];
let token: string;
let env: Record<string, string>;

function run(name: string, args: string[], extraEnv: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const running = { name, child, output: () => output };
  processes.push(running);
  return running;
}

async function startWeb(name: string) {
  const port = await findFreePort();
  const web = run(name, [WEB_SERVER_BIN, String(port), '127.0.0.1'], { NODE_ENV: 'production' });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitFor(`${name} to listen`, 120_000, async () => {
    if (web.child.exitCode !== null) throw new Error(`${name} exited:\n${web.output()}`);
    // 503 until a worker's heartbeat: the workers start after the web servers.
    const response = await fetch(`${baseUrl}/api/health`).catch(() => null);
    return response ? true : undefined;
  });
  return { name, baseUrl };
}

/** Three distinct-secret GETs within seconds by one person: one alert of the burst rule each. */
function burst(user: string, names: string[], startIso: string): AuditRequestInput[] {
  return names.map((name, index) => ({
    time: new Date(Date.parse(startIso) + index * 20_000).toISOString(),
    user,
    namespace: 'prod',
    name,
    sourceIPs: ['203.0.113.45'],
    resource: 'secrets',
    verb: 'get',
  }));
}

function fileOf(requests: AuditRequestInput[]) {
  return ndjson(requests.flatMap((request) => bothStages(auditRequest(request))));
}

async function upload(baseUrl: string, cluster: string, body: string) {
  const response = await fetch(`${baseUrl}/api/v1/uploads?cluster=${cluster}&fileName=${cluster}.ndjson`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body,
  });
  const answer = (await response.json()) as { status?: string; requests?: { stored: number } };
  expect(response.status, JSON.stringify(answer)).toBeLessThan(300);
  return answer;
}

beforeAll(async () => {
  database = await createScratchDatabase(inject('serverUrl'), 'scaleout');
  env = { DATABASE_URL: database.url, VIGIL_AUTH_SECRET: randomBytes(32).toString('base64url') };
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  const migrated = await runCli(['migrate'], env);
  if (migrated.code !== 0) throw new Error(migrated.stderr);
  const created = await runCli(['token', 'create', '--name', 'scale', '--scope', 'ingest', '--json'], env);
  if (created.code !== 0) throw new Error(created.stderr);
  token = (JSON.parse(created.stdout) as { token: string }).token;
  webs = await Promise.all([startWeb('web-a'), startWeb('web-b')]);
  workers = ['worker-1', 'worker-2'].map((name) => run(name, [VIGIL_BIN, 'worker'], { WORKER_CONCURRENCY: '1' }));
  await waitFor('both workers to start', 60_000, async () =>
    workers.every((worker) => worker.output().includes('running (concurrency 1)')) ? true : undefined,
  );
}, 300_000);

afterAll(async () => {
  for (const running of processes) if (running.child.exitCode === null) running.child.kill('SIGINT');
  await Promise.all(
    processes.map((running) =>
      running.child.exitCode === null ? new Promise((resolve) => running.child.once('exit', resolve)) : null,
    ),
  );
  await pool?.end();
  await database?.drop();
}, 60_000);

describe('two web servers and two workers on one database', () => {
  it('detect jobs split between the workers and every alert exists once with its exact evidence', async () => {
    const day = '2026-11-24T';
    const files = CLUSTERS.map((cluster, index) => ({
      cluster,
      body: fileOf(burst(`reader-${index}@example.com`, ['a', 'b', 'c'], `${day}09:00:00Z`)),
    }));
    // One person, one fingerprint, two clusters: a single burst across both (upstream has no cluster).
    const mallory = (names: string[], start: string) => fileOf(burst('mallory@example.com', names, `${day}${start}`));
    files.push({ cluster: CLUSTERS[0]!, body: mallory(['m1', 'm2'], '11:00:00Z') });
    files.push({ cluster: CLUSTERS[1]!, body: mallory(['m3', 'm4'], '11:00:50Z') });

    // Every file to both servers at once: the second copy of each stores nothing new.
    const answers = await Promise.all(
      files.flatMap((file, index) => [
        upload(webs[index % 2]!.baseUrl, file.cluster, file.body),
        upload(webs[(index + 1) % 2]!.baseUrl, file.cluster, file.body),
      ]),
    );
    expect(answers.every((answer) => answer.status === 'completed')).toBe(true);
    const stored = await pool.query<{ requests: string }>(`SELECT count(*) AS requests FROM audit_events`);
    expect(Number(stored.rows[0]!.requests)).toBe(CLUSTERS.length * 3 + 4);

    const alerts = await waitFor('every burst detected and nothing pending', 120_000, async () => {
      const pending = await pool.query(
        `SELECT 1 FROM detect_pending UNION ALL SELECT 1 FROM graphile_worker.jobs WHERE task_identifier = 'detect'`,
      );
      const rows = (
        await pool.query<{ username: string; event_count: number; clusters: string[] }>(
          `SELECT a.username, a.event_count,
                  array(SELECT DISTINCT e.cluster FROM alert_events ae JOIN evidence_audit_events e ON e.id = ae.event_id
                         WHERE ae.alert_id = a.id ORDER BY 1) AS clusters
             FROM alerts a WHERE a.rule_id = $1 AND a.withdrawn_at IS NULL ORDER BY a.username`,
          [RULE],
        )
      ).rows;
      return pending.rowCount === 0 && rows.length === CLUSTERS.length + 1 ? rows : undefined;
    });
    const byUser = new Map(alerts.map((alert) => [alert.username, alert]));
    expect(byUser.size).toBe(alerts.length);
    for (const [index, cluster] of CLUSTERS.entries())
      expect(byUser.get(`reader-${index}@example.com`)).toMatchObject({ event_count: 3, clusters: [cluster] });
    expect(byUser.get('mallory@example.com')).toMatchObject({ event_count: 4, clusters: CLUSTERS.slice(0, 2) });

    const jobsRun = workers.map((worker) => (worker.output().match(/\] detect scale-/g) ?? []).length);
    expect(jobsRun.reduce((sum, count) => sum + count, 0)).toBeGreaterThanOrEqual(CLUSTERS.length);
    expect(
      jobsRun.every((count) => count > 0),
      `detect jobs per worker: ${jobsRun.join(', ')}`,
    ).toBe(true);
  }, 240_000);

  it('keeps a session valid on both servers, and a sign-out on one ends it on the other', async () => {
    const email = uniqueEmail('scale');
    const created = await runCli(
      ['user', 'create', '--email', email, '--role', 'analyst', '--password', TEST_PASSWORD],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    const [a, b] = [webs[0]!, webs[1]!];
    const cookie = `${SESSION_COOKIE}=${await signInOverHttp(a.baseUrl, email)}`;
    for (const web of webs) {
      const response = await fetch(`${web.baseUrl}/api/v1/alerts`, { headers: { cookie } });
      expect(response.status, web.name).toBe(200);
    }
    const signedOut = await fetch(`${b.baseUrl}/api/auth/sign-out`, {
      method: 'POST',
      headers: { cookie, origin: b.baseUrl, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(signedOut.status).toBe(200);
    const after = await fetch(`${a.baseUrl}/api/v1/alerts`, { headers: { cookie } });
    expect(after.status).toBe(401);
  }, 60_000);
});
