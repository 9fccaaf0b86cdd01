// npm run bench -- live: a live stream, as kube-apiservers in webhook batch mode send it. Concurrent
// senders POST EventLists of current events (the demo generator's mix, re-timed to now) to the audit
// webhook of the production web server while a worker detects; planted secret-GET bursts measure the
// lag from "stored" (the webhook's 200) to "its alert visible". Baseline in the same run: GET /api/health.
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { createApiToken } from '../../lib/auth/api-tokens';
import { createDb } from '../../lib/db/client';
import { generateScenario } from '../../lib/demo/generate-scenario';
import type { K8sAuditEvent } from '../../lib/demo/types';
import { seedDatabase } from '../../lib/seed/seed-database';
import { percentile } from '../bench/ui-measure';
import { startWebServer } from '../bench/ui-server';
import type { CommandResult } from '../cli-output';
import { applyAllMigrations } from './migrate';

const ROOT = path.join(import.meta.dirname, '../..');
const CLUSTERS = ['live-eu', 'live-us'];

export type LiveOptions = { minutes: number; concurrency: number; batchEvents: number };

type Plant = { user: string; auditIds: string[]; storedAt: number; alertAt?: number };

/** The generator's events, re-timed to now and given fresh ids: a pool the senders cycle through. */
function backgroundPool(size: number): K8sAuditEvent[] {
  return [...generateScenario({ events: size, end: new Date() }).auditEvents()];
}

function retime(event: K8sAuditEvent, time: string): K8sAuditEvent {
  return { ...event, auditID: randomUUID(), requestReceivedTimestamp: time, stageTimestamp: time };
}

/** Three named secret GETs by a new outside user within seconds: rapid-secret-get-multiple-objects fires. */
function plantedBurst(template: K8sAuditEvent, user: string): K8sAuditEvent[] {
  const now = Date.now();
  return ['db-password', 'stripe-api-key', 'registry-credentials'].map((name, index) => {
    const time = new Date(now + index).toISOString();
    return {
      ...retime(template, time),
      verb: 'get',
      stage: 'ResponseComplete',
      user: { username: user, groups: ['system:authenticated'] },
      sourceIPs: ['203.0.113.66'],
      userAgent: 'curl/8.5.0',
      objectRef: { resource: 'secrets', namespace: 'payments', name, apiVersion: 'v1' },
      requestURI: `/api/v1/namespaces/payments/secrets/${name}`,
      responseStatus: { metadata: {}, code: 200 },
    } as K8sAuditEvent;
  });
}

function startWorker(env: Record<string, string>) {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/vigil.mjs'), 'worker'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return {
    stop: () =>
      new Promise<void>((resolve) =>
        child.exitCode !== null ? resolve() : (child.once('exit', () => resolve()), child.kill('SIGTERM')),
      ),
  };
}

export async function benchLive(
  url: string,
  options: LiveOptions,
  log: (message: string) => void,
): Promise<CommandResult> {
  const pool = new pg.Pool({ connectionString: url, max: 3 });
  const db = createDb(url, 1);
  await applyAllMigrations(url);
  await seedDatabase(db, { demo: false });
  const { token } = await createApiToken(db, { name: 'bench-live', scopes: ['ingest'] }, null);
  const env = { DATABASE_URL: url, WORKER_CONCURRENCY: '2' };
  log('generating the background mix…');
  const background = backgroundPool(50_000).filter((event) => event.stage === 'ResponseComplete');
  const web = await startWebServer(env);
  const worker = startWorker(env);
  const plants: Plant[] = [];
  const latencies: number[] = [];
  const health: number[] = [];
  const queue: { second: number; jobs: number; pending: number }[] = [];
  let sent = 0;
  let accepted = 0;
  let failedPosts = 0;
  let cursor = 0;
  const started = Date.now();
  const deadline = started + options.minutes * 60_000;
  try {
    const post = async (events: K8sAuditEvent[], cluster: string) => {
      const body = JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: events });
      const begun = performance.now();
      const response = await fetch(`${web.baseUrl}/api/v1/audit-webhook/${cluster}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body,
      });
      await response.text();
      latencies.push(performance.now() - begun);
      sent += events.length;
      if (response.status === 200) accepted += events.length;
      else failedPosts++;
      return response.status === 200;
    };
    const sender = async (index: number) => {
      while (Date.now() < deadline) {
        const time = new Date().toISOString();
        const events = Array.from({ length: options.batchEvents }, () =>
          retime(background[cursor++ % background.length]!, time),
        );
        await post(events, CLUSTERS[index % CLUSTERS.length]!);
      }
    };
    const planter = async () => {
      while (Date.now() < deadline - 30_000) {
        await new Promise((resolve) => setTimeout(resolve, 15_000));
        const user = `live-attacker-${plants.length}@example.com`;
        const events = plantedBurst(background[0]!, user);
        if (await post(events, CLUSTERS[plants.length % CLUSTERS.length]!))
          plants.push({ user, auditIds: events.map((event) => event.auditID), storedAt: Date.now() });
      }
    };
    const sampler = async () => {
      while (Date.now() < deadline + 120_000) {
        const [jobs, pending] = await Promise.all([
          pool.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier = 'detect'`,
          ),
          pool.query<{ n: number }>(
            `SELECT (SELECT count(*) FROM detect_pending) + (SELECT count(*) FROM detect_claims) AS n`,
          ),
        ]);
        queue.push({
          second: Math.round((Date.now() - started) / 1000),
          jobs: jobs.rows[0]!.n,
          pending: Number(pending.rows[0]!.n),
        });
        for (const plant of plants.filter((candidate) => candidate.alertAt === undefined)) {
          const alert = await pool.query<{ created_at: Date }>(
            `SELECT created_at FROM alerts WHERE rule_id = 'rapid-secret-get-multiple-objects' AND username = $1`,
            [plant.user],
          );
          if (alert.rows[0]) plant.alertAt = alert.rows[0].created_at.getTime();
        }
        const begun = performance.now();
        await fetch(`${web.baseUrl}/api/health`).then((response) => response.text());
        health.push(performance.now() - begun);
        if (
          Date.now() > deadline &&
          plants.every((plant) => plant.alertAt !== undefined) &&
          queue.at(-1)!.pending === 0
        )
          return;
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    };
    log(
      `streaming for ${options.minutes} minute(s): ${options.concurrency} senders × ${options.batchEvents}-event batches…`,
    );
    await Promise.all([
      ...Array.from({ length: options.concurrency }, (_, index) => sender(index)),
      planter(),
      sampler(),
    ]);
  } finally {
    await worker.stop();
    await web.stop();
  }
  const stored = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events`);
  await pool.end();
  await db.$disconnect();
  const seconds = options.minutes * 60;
  const lags = plants
    .filter((plant) => plant.alertAt !== undefined)
    .map((plant) => (plant.alertAt! - plant.storedAt) / 1000);
  const round = (value: number) => Math.round(value * 10) / 10;
  const report = {
    minutes: options.minutes,
    concurrency: options.concurrency,
    batchEvents: options.batchEvents,
    eventsSent: sent,
    eventsAccepted: accepted,
    eventsStored: stored.rows[0]!.n,
    lost: accepted - stored.rows[0]!.n,
    failedPosts,
    acceptedPerSecond: Math.round(accepted / seconds),
    webhookMs: {
      p50: round(percentile(latencies, 0.5)),
      p95: round(percentile(latencies, 0.95)),
      p99: round(percentile(latencies, 0.99)),
    },
    healthMs: { p50: round(percentile(health, 0.5)), p95: round(percentile(health, 0.95)) },
    plantedBursts: plants.length,
    alertsSeen: lags.length,
    detectionLagSeconds: {
      p50: round(percentile(lags, 0.5)),
      p95: round(percentile(lags, 0.95)),
      max: round(Math.max(0, ...lags)),
    },
    queue: {
      maxJobs: Math.max(...queue.map((sample) => sample.jobs)),
      samples: queue.filter((_, index) => index % 15 === 0),
    },
  };
  const lines = [
    `Live stream, ${options.minutes} min, ${options.concurrency} concurrent webhook batches of ${options.batchEvents} events:`,
    `  accepted ${report.acceptedPerSecond.toLocaleString('en-US')} events/s; ${report.lost} lost; ${failedPosts} POST(s) refused`,
    `  webhook p50 ${report.webhookMs.p50} ms, p95 ${report.webhookMs.p95} ms, p99 ${report.webhookMs.p99} ms (GET /api/health p95 ${report.healthMs.p95} ms in the same run)`,
    `  detection lag (stored → alert visible) over ${lags.length}/${plants.length} planted bursts: p50 ${report.detectionLagSeconds.p50} s, p95 ${report.detectionLagSeconds.p95} s, max ${report.detectionLagSeconds.max} s`,
    `  detect jobs queued: at most ${report.queue.maxJobs}; over time: ${report.queue.samples.map((sample) => `${sample.second}s:${sample.jobs}`).join(' ')}`,
  ];
  return { ok: report.lost === 0 && failedPosts === 0, text: lines.join('\n'), json: report };
}
