// npm run bench -- retention [--events N] [--requests R]: the retention run that drops a day of N events
// (default 1,000,000) out of two, timed, while the pages an analyst uses are requested one after another
// against the production build; their p95 while it runs beside their p95 in rounds just before.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import type { CommandResult } from '../cli-output';
import { buildIfNeeded } from '../build-if-needed';
import { loadUiBenchData } from '../bench/ui-load';
import { percentile, timeRequest } from '../bench/ui-measure';
import { listBenchRoutes, pickRouteValues, type BenchRoute } from '../bench/ui-routes';
import { signIn, startWebServer } from '../bench/ui-server';
import { listPartitions } from '../../lib/storage/partitions';
import { runRetention } from '../../lib/storage/run-retention';

const ROOT = path.join(import.meta.dirname, '../..');
const DAY = 86_400_000;
export const RETENTION_GOAL_MS = 5_000;

// Exports are long downloads, and the event routes name one event that may be on the day that goes.
const PROBED = (route: BenchRoute) =>
  route.kind !== 'export' && !route.name.includes('event=ID') && !route.path.includes('/events/');

export async function benchRetention(
  url: string,
  options: { events: number; requests: number },
  log: (message: string) => void,
): Promise<CommandResult> {
  const env = { DATABASE_URL: url, VIGIL_AUTH_SECRET: randomBytes(32).toString('base64url'), LOG_LEVEL: 'warn' };
  // Two days: the ingested one and a copy a day before it, the one retention drops.
  const { account } = await loadUiBenchData(
    url,
    { events: options.events * 2, ingest: options.events, alerts: 1_000, env },
    log,
  );
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    const partitions = await listPartitions(pool);
    const days = [...new Set(partitions.map((partition) => partition.day))].sort();
    if (days.length < 2)
      throw new Error(`the load made ${days.length} day(s); retention needs one to drop and one to keep`);
    const oldest = partitions.filter((partition) => partition.day === days[0]);
    const dropped = {
      day: days[0]!,
      partitions: oldest.length,
      rows: oldest.reduce((sum, partition) => sum + partition.rows, 0),
      bytes: oldest.reduce((sum, partition) => sum + partition.bytes, 0),
    };
    // The period that keeps every day but the oldest: today and the days back to the second.
    const now = new Date();
    const keepDays =
      Math.round(
        (Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00Z`) - Date.parse(`${days[1]}T00:00:00Z`)) / DAY,
      ) + 1;
    const values = await pickRouteValues(pool);

    buildIfNeeded(ROOT, log);
    const server = await startWebServer(env);
    try {
      const cookie = await signIn(server.baseUrl, account.email, account.password);
      const headers = { cookie, 'user-agent': 'vigil-bench-retention' };
      const routes = listBenchRoutes(values).filter(PROBED);
      const request = (route: BenchRoute) => timeRequest(server.baseUrl, route, headers);
      for (const route of routes) await request(route);
      log(`before: ${options.requests} round(s) over ${routes.length} routes…`);
      const before = new Map<BenchRoute, number[]>(routes.map((route) => [route, []]));
      for (let round = 0; round < options.requests; round++)
        for (const route of routes) before.get(route)!.push((await request(route)).ms);

      log(`dropping ${dropped.day} (${dropped.rows.toLocaleString('en-US')} requests) while the routes are requested…`);
      const during = new Map<BenchRoute, number[]>(routes.map((route) => [route, []]));
      let running = true;
      let overlapping = 0;
      const probing = (async () => {
        // On while the drop is under way, and until every route was asked once.
        for (let index = 0; running || index < routes.length; index++) {
          const route = routes[index % routes.length]!;
          if (running) overlapping++;
          during.get(route)!.push((await request(route)).ms);
        }
      })();
      const result = await runRetention(pool, { environmentDays: keepDays, now }).finally(() => {
        running = false;
      });
      await probing;
      const left = await pool.query<{ count: string }>(
        `SELECT count(*) AS count FROM audit_events WHERE time >= $1::date AND time < $1::date + 1`,
        [dropped.day],
      );
      if (Number(left.rows[0]!.count) !== 0) throw new Error(`${dropped.day} is still stored after the run`);
      const p95 = (list: number[]) => Math.round(percentile(list, 0.95) * 10) / 10;
      const rows = routes.map((route) => ({
        name: route.name,
        beforeP95Ms: p95(before.get(route)!),
        duringP95Ms: p95(during.get(route)!),
        duringSamples: during.get(route)!.length,
      }));
      const risen = rows.filter(
        (row) => row.duringP95Ms > row.beforeP95Ms * 1.5 && row.duringP95Ms - row.beforeP95Ms > 20,
      );
      const width = Math.max(34, ...rows.map((row) => row.name.length));
      const text = [
        `retention: dropped ${result.dropped.length} partition(s) of ${dropped.day}, ${dropped.rows.toLocaleString('en-US')} requests, ` +
          `${(dropped.bytes / 1e6).toFixed(0)} MB, in ${result.durationMs} ms ` +
          `(goal < ${RETENTION_GOAL_MS} ms${result.durationMs < RETENTION_GOAL_MS ? ', met' : ', ✗ missed'})`,
        `  requests from the drop's start until it ended and every route was asked once: ${overlapping} of them began before it ended`,
        `  ${'route'.padEnd(width)} p95 before  p95 during  (samples during)`,
        ...rows.map(
          (row) =>
            `  ${row.name.padEnd(width)} ${row.beforeP95Ms.toFixed(1).padStart(10)}  ${row.duringP95Ms.toFixed(1).padStart(10)}  (${row.duringSamples})`,
        ),
        risen.length === 0
          ? '  no route slower while it ran (p95 during ≤ 1.5× before, or within 20 ms)'
          : `  ✗ slower while it ran: ${risen.map((row) => row.name).join(', ')}`,
      ].join('\n');
      return {
        ok: true,
        text,
        json: {
          ...options,
          dropped,
          durationMs: result.durationMs,
          goalMs: RETENTION_GOAL_MS,
          routes: rows,
          risen: risen.map((row) => row.name),
        },
      };
    } catch (error) {
      const output = server.output().trim();
      if (output) log(`web server output (last lines):\n${output.split('\n').slice(-30).join('\n')}`);
      throw error;
    } finally {
      await server.stop();
    }
  } finally {
    await pool.end();
  }
}
