// npm run bench -- retention [--events N] [--requests R]: the retention run that drops a day of N events
// (default 1,000,000) out of three, timed, while four analysts' worth of page requests run against the
// production build; each request that began during the drop beside its route's p95 in rounds before and after.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import type { CommandResult } from '../cli-output';
import { buildIfNeeded } from '../build-if-needed';
import { loadUiBenchData } from '../bench/ui-load';
import { percentile, timeRequest } from '../bench/ui-measure';
import { listBenchRoutes, pickRouteValues, type BenchRoute } from '../bench/ui-routes';
import { signIn, withWebServer } from '../bench/ui-server';
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
  // Three days: the ingested one and two copies before it, the oldest of which retention drops; the pages
  // still span days after it (with one day left their charts would turn sub-hour and read raw rows).
  const { account } = await loadUiBenchData(
    url,
    { events: options.events * 3, ingest: options.events, alerts: 1_000, env },
    log,
  );
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    const partitions = await listPartitions(pool);
    const days = [...new Set(partitions.map((partition) => partition.day))].sort();
    if (days.length < 3) throw new Error(`the load made ${days.length} day(s); the benchmark drops one of three`);
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
    return await withWebServer(env, log, async (server) => {
      const cookie = await signIn(server.baseUrl, account.email, account.password);
      const headers = { cookie, 'user-agent': 'vigil-bench-retention' };
      const routes = listBenchRoutes(values).filter(PROBED);
      const request = (route: BenchRoute) => timeRequest(server.baseUrl, route, headers);
      for (const route of routes) await request(route);
      // Four analysts at once, each going through the routes from a different one: before the drop for
      // `requests` rounds, while it runs for as long as it does, and after it for `requests` rounds again.
      const analysts = async (more: (done: number) => boolean) => {
        const samples: { route: BenchRoute; ms: number }[] = [];
        await Promise.all(
          [0, 1, 2, 3].map(async (analyst) => {
            const first = Math.floor((analyst * routes.length) / 4);
            for (let done = 0; more(done); done++) {
              const route = routes[(first + done) % routes.length]!;
              samples.push({ route, ms: (await request(route)).ms });
            }
          }),
        );
        return samples;
      };
      const perAnalyst = Math.ceil((options.requests * routes.length) / 4);
      log(`before: ${options.requests} round(s) over ${routes.length} routes, four requests at a time…`);
      const before = await analysts((done) => done < perAnalyst);

      log(`dropping ${dropped.day} (${dropped.rows.toLocaleString('en-US')} requests) while the routes are requested…`);
      let running = true;
      const probing = analysts(() => running);
      const result = await runRetention(pool, { environmentDays: keepDays, now }).finally(() => {
        running = false;
      });
      const during = await probing;
      const left = await pool.query<{ count: string }>(
        `SELECT count(*) AS count FROM audit_events WHERE time >= $1::date AND time < $1::date + 1`,
        [dropped.day],
      );
      if (Number(left.rows[0]!.count) !== 0) throw new Error(`${dropped.day} is still stored after the run`);
      log(`after: ${options.requests} round(s)…`);
      const after = await analysts((done) => done < perAnalyst);

      const p95 = (list: number[]) => Math.round(percentile(list, 0.95) * 10) / 10;
      const of = (samples: { route: BenchRoute; ms: number }[], route: BenchRoute) =>
        samples.filter((sample) => sample.route === route).map((sample) => sample.ms);
      const rows = routes.map((route) => {
        const mine = of(during, route);
        return {
          name: route.name,
          beforeP95Ms: p95(of(before, route)),
          afterP95Ms: p95(of(after, route)),
          duringMaxMs: mine.length ? Math.round(Math.max(...mine) * 10) / 10 : null,
          duringSamples: mine.length,
        };
      });
      // Slower while it ran: than before and than after (the data left can make a page faster or slower by itself).
      const risen = rows.filter((row) => {
        const quiet = Math.max(row.beforeP95Ms, row.afterP95Ms);
        return row.duringMaxMs !== null && row.duringMaxMs > quiet * 1.5 && row.duringMaxMs - quiet > 20;
      });
      const width = Math.max(34, ...rows.map((row) => row.name.length));
      const text = [
        `retention: dropped ${result.dropped.length} partition(s) of ${dropped.day}, ${dropped.rows.toLocaleString('en-US')} requests, ` +
          `${(dropped.bytes / 1e6).toFixed(0)} MB, in ${result.durationMs} ms ` +
          `(goal < ${RETENTION_GOAL_MS} ms${result.durationMs < RETENTION_GOAL_MS ? ', met' : ', ✗ missed'})`,
        `  ${during.length} requests ran while it did (four at a time); per route the slowest of them, beside p95 of ${options.requests} round(s) before and after, four at a time too`,
        `  ${'route'.padEnd(width)} p95 before  max during   p95 after  (requests during)`,
        ...rows.map(
          (row) =>
            `  ${row.name.padEnd(width)} ${row.beforeP95Ms.toFixed(1).padStart(10)}  ${(row.duringMaxMs?.toFixed(1) ?? '—').padStart(10)}  ${row.afterP95Ms.toFixed(1).padStart(10)}  (${row.duringSamples})`,
        ),
        risen.length === 0
          ? '  no route slower while it ran (max during ≤ 1.5× the larger p95 of before and after, or within 20 ms)'
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
    });
  } finally {
    await pool.end();
  }
}
