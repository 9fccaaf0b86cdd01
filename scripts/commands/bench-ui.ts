// npm run bench -- ui [--events N] [--alerts N] [--requests R]: every page and API route an analyst
// uses, against N events and a queue of alerts, timed over loopback; p95 against GET /api/health
// (and a bare SELECT 1) measured in the same run, so the ratios hold on a noisy machine.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import type { CommandResult } from '../cli-output';
import { buildIfNeeded } from '../build-if-needed';
import { applyAllMigrations } from './migrate';
import { loadUiBenchData, markKeptDataset, readKeptDataset, type UiLoadReport } from '../bench/ui-load';
import { percentile, timeRequest, type Sample } from '../bench/ui-measure';
import { listBenchRoutes, pickRouteValues, type BenchRoute, type RouteValues } from '../bench/ui-routes';
import { signIn, withWebServer } from '../bench/ui-server';

const ROOT = path.join(import.meta.dirname, '../..');
export const UI_GOAL_MS = 300;

export type UiBenchOptions = {
  events: number;
  alerts: number;
  /** Events through the ingest; past them, earlier copies (see ui-load). */
  ingest: number;
  requests: number;
  warmup: number;
  loadOnly: boolean;
  /** Reuse the data an earlier run left at this database (loading it first when it has none). */
  dataset: boolean;
};

type Stats = { p50Ms: number; p95Ms: number };
type RouteResult = BenchRoute &
  Stats & {
    p95VsBaseline: number;
    meetsGoal: boolean;
    bytes: number;
    /** Exports: time to the first body byte, and the rows of one answer. */
    firstByte?: Stats;
    rows?: number;
  };

/**
 * The benchmark's data at `url`: loaded now, or (`dataset`) what an earlier run kept there, migrated.
 * `env`: what the CLI child that creates the benchmark's account runs with.
 */
export async function openUiDataset(
  url: string,
  options: Pick<UiBenchOptions, 'events' | 'alerts' | 'ingest' | 'dataset'>,
  env: Record<string, string>,
  log: (message: string) => void,
) {
  const kept = options.dataset ? await readKeptDataset(url) : null;
  if (kept) {
    log(`reusing the kept dataset (${kept.report.auditEvents.toLocaleString('en-US')} audit events); migrating it…`);
    const migrated = await applyAllMigrations(url);
    if (migrated.applied.length > 0) await vacuumAnalyze(url);
  }
  const loaded = kept ?? (await loadUiBenchData(url, { ...options, env }, log));
  if (options.dataset && !kept) await markKeptDataset(url, loaded);
  return loaded;
}

/** Where `--dataset` keeps the data of a size: one database per events, alerts and ingested events. */
export function keptDatasetName(options: Pick<UiBenchOptions, 'events' | 'alerts' | 'ingest'>) {
  const { events, alerts, ingest } = options;
  return `vigil_dataset_ui_${events}e_${alerts}a${events > ingest ? `_${ingest}i` : ''}`;
}

/** What the benchmark's CLI child and web server run with against `url`: a fresh auth secret each run. */
export function benchEnv(url: string): Record<string, string> {
  return { DATABASE_URL: url, VIGIL_AUTH_SECRET: randomBytes(32).toString('base64url'), LOG_LEVEL: 'warn' };
}

export async function benchUi(url: string, options: UiBenchOptions, log: (message: string) => void) {
  const env = benchEnv(url);
  const { report: load, account } = await openUiDataset(url, options, env, log);
  log(
    `loaded in ${load.seconds.total} s: ${load.auditEvents.toLocaleString('en-US')} audit + ${load.fileEvents.toLocaleString('en-US')} file events, ` +
      `${load.alerts.toLocaleString('en-US')} alerts (${load.detectedAlerts} from the rules)`,
  );
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  let values: RouteValues;
  let select1: Stats;
  try {
    values = await pickRouteValues(pool);
    select1 = await timeSelectOne(pool, Math.max(100, options.requests * 5));
  } finally {
    await pool.end();
  }
  if (options.loadOnly) {
    return {
      ok: true,
      text: [loadText(options, load), `route values: ${JSON.stringify(values)}`].join('\n'),
      json: { ...options, load, values },
    } satisfies CommandResult;
  }

  buildIfNeeded(ROOT, log);
  log('starting the web server (no worker: /api/health answers 503 for its heartbeat, which is fine here)…');
  return withWebServer(env, log, async (server) => {
    const cookie = await signIn(server.baseUrl, account.email, account.password);
    const headers = { cookie, 'user-agent': 'vigil-bench-ui' };
    const routes = listBenchRoutes(values);
    const health: BenchRoute = { name: 'GET /api/health (baseline)', path: '/api/health', kind: 'api' };
    const measured = [health, ...routes];
    const request = (route: BenchRoute) =>
      timeRequest(server.baseUrl, route, headers, {
        statuses: route === health ? [200, 503] : [200],
        countRows: route.kind === 'export' ? (route.path.includes('format=csv') ? 'csv' : 'ndjson') : undefined,
      });

    log(`warming up: ${options.warmup} request(s) per route…`);
    for (const route of measured) for (let i = 0; i < options.warmup; i++) await request(route);

    // Rounds over every route rather than one route at a time: a slow spell of the machine then
    // lands on all routes alike instead of on whichever one was being measured.
    const samples = new Map<BenchRoute, Sample[]>(measured.map((route) => [route, []]));
    for (let round = 1; round <= options.requests; round++) {
      for (const route of measured) samples.get(route)!.push(await request(route));
      if (round % 10 === 0 || round === options.requests) log(`  round ${round}/${options.requests}`);
    }

    const stats = (list: Sample[], pick: (sample: Sample) => number): Stats => ({
      p50Ms: round1(percentile(list.map(pick), 0.5)),
      p95Ms: round1(percentile(list.map(pick), 0.95)),
    });
    const baseline = stats(samples.get(health)!, (sample) => sample.ms);
    const results: RouteResult[] = routes.map((route) => {
      const list = samples.get(route)!;
      const total = stats(list, (sample) => sample.ms);
      const firstByte = route.kind === 'export' ? stats(list, (sample) => sample.firstByteMs) : undefined;
      const goalFigure = firstByte ?? total;
      return {
        ...route,
        ...total,
        p95VsBaseline: round1(goalFigure.p95Ms / Math.max(baseline.p95Ms, 0.1)),
        meetsGoal: goalFigure.p95Ms < UI_GOAL_MS,
        bytes: Math.round(list.reduce((sum, sample) => sum + sample.bytes, 0) / list.length),
        ...(firstByte ? { firstByte, rows: list.at(-1)!.rows ?? 0 } : {}),
      };
    });
    const slow = results.filter((result) => !result.meetsGoal).map((result) => result.name);
    const text = [
      loadText(options, load),
      `  values: busiest user ${values.busiestUser}; user with most alerts ${values.alertUser}; IP ${values.ip};` +
        ` pod ${values.pod.namespace}/${values.pod.name}; alert ${values.alertId}; audit event ${values.auditEventId}` +
        `; typical user (T) ${values.typicalUser}; requests stored: U ${values.requests.alertUser.toLocaleString('en-US')},` +
        ` T ${values.requests.typicalUser.toLocaleString('en-US')}`,
      formatTable(results, baseline, select1, options),
      slow.length === 0
        ? `  every route's p95 is under ${UI_GOAL_MS} ms (exports: time to first byte)`
        : `  ✗ p95 ≥ ${UI_GOAL_MS} ms: ${slow.join(', ')}`,
    ].join('\n');
    const json = {
      ...options,
      goalMs: UI_GOAL_MS,
      load,
      values,
      baseline: { health: baseline, select1 },
      routes: results,
      slow,
    };
    return { ok: true, text, json } satisfies CommandResult;
  });
}

export const UI_GROWTH_GOAL = 1.5;

type UiRun = {
  events: number;
  text: string;
  json: { routes?: RouteResult[]; baseline?: { health: Stats }; [key: string]: unknown };
};

/**
 * Several sizes in one run: each route's p95 at every size side by side, and the largest size's p95
 * as a multiple of the smallest's (goal ≤ 1.5: a page's cost must not grow with the table).
 */
export function compareUiRuns(runs: UiRun[]): CommandResult {
  const [first, last] = [runs[0]!, runs.at(-1)!];
  const routesOf = (run: UiRun) => new Map((run.json.routes ?? []).map((route) => [route.name, route]));
  const bySize = runs.map(routesOf);
  const figure = (route: RouteResult | undefined) => (route ? (route.firstByte ?? route).p95Ms : NaN);
  const names = [...bySize[0]!.keys()];
  const nameWidth = Math.max(34, ...names.map((name) => name.length));
  const sizes = runs.map((run) => `p95 @ ${formatCount(run.events)}`.padStart(14)).join(' ');
  const lines = [
    `UI cost as the table grows: p95 per route (exports: first byte) at ${runs.map((run) => run.events.toLocaleString('en-US')).join(' and ')} events, one run`,
    `  ${'route'.padEnd(nameWidth)} ${sizes}  ${formatCount(last.events)} ÷ ${formatCount(first.events)}`,
    `  ${'GET /api/health (baseline)'.padEnd(nameWidth)} ${runs.map((run) => (run.json.baseline?.health.p95Ms ?? NaN).toFixed(1).padStart(14)).join(' ')}`,
  ];
  const failing: string[] = [];
  for (const name of names) {
    const p95s = bySize.map((routes) => figure(routes.get(name)));
    const growth = p95s.at(-1)! / Math.max(p95s[0]!, 0.1);
    const slow = p95s.at(-1)! >= UI_GOAL_MS;
    if (growth > UI_GROWTH_GOAL || slow) failing.push(name);
    const mark = `${growth > UI_GROWTH_GOAL ? `  ✗ grows > ${UI_GROWTH_GOAL}×` : ''}${slow ? `  ✗ ≥ ${UI_GOAL_MS} ms` : ''}`;
    lines.push(
      `  ${name.padEnd(nameWidth)} ${p95s.map((p95) => p95.toFixed(1).padStart(14)).join(' ')}  ${`${growth.toFixed(2)}x`.padStart(8)}${mark}`,
    );
  }
  lines.push(
    failing.length === 0
      ? `  every route: p95 < ${UI_GOAL_MS} ms at ${last.events.toLocaleString('en-US')} and ≤ ${UI_GROWTH_GOAL}× its p95 at ${first.events.toLocaleString('en-US')}`
      : `  ✗ ${failing.length} route(s) miss a goal: ${failing.join(', ')}`,
  );
  return {
    ok: true,
    text: [...runs.map((run) => run.text), '', ...lines].join('\n'),
    json: { runs: runs.map((run) => run.json), failing },
  };
}

const formatCount = (count: number) =>
  count >= 1e6 && count % 1e6 === 0
    ? `${count / 1e6}M`
    : count >= 1e3 && count % 1e3 === 0
      ? `${count / 1e3}k`
      : String(count);

async function vacuumAnalyze(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('VACUUM (ANALYZE)');
  } finally {
    await client.end();
  }
}

async function timeSelectOne(pool: pg.Pool, count: number): Promise<Stats> {
  const times: number[] = [];
  for (let i = 0; i < count + 10; i++) {
    const started = performance.now();
    await pool.query('SELECT 1');
    if (i >= 10) times.push(performance.now() - started);
  }
  return { p50Ms: round2(percentile(times, 0.5)), p95Ms: round2(percentile(times, 0.95)) };
}

function loadText(options: UiBenchOptions, load: UiLoadReport) {
  const { seconds } = load;
  return [
    `UI benchmark: ${load.auditEvents.toLocaleString('en-US')} audit events + ${load.fileEvents.toLocaleString('en-US')} file events, ` +
      `${load.alerts.toLocaleString('en-US')} alerts (${load.detectedAlerts} raised by the rules, ${load.syntheticAlerts.toLocaleString('en-US')} synthetic), ` +
      `${load.alertEventLinks.toLocaleString('en-US')} evidence links, ${load.alertActivity.toLocaleString('en-US')} activity rows`,
    ...(load.copies
      ? [
          `  ${(load.ingestedEvents ?? 0).toLocaleString('en-US')} events went through the ingest; the rest are ${load.copies} earlier copies of them, a day apart (INSERT … SELECT, ${seconds.copies} s)`,
        ]
      : []),
    `  loading took ${seconds.total} s, not part of the figures (ingest ${seconds.ingest} s, rules over the whole range ${seconds.detect} s, ` +
      `account ${seconds.account} s, synthetic alerts ${seconds.alerts} s, VACUUM ANALYZE ${seconds.vacuum} s)`,
    ...(options.loadOnly
      ? []
      : [
          `  ${options.requests} timed requests per route after ${options.warmup} warm-up(s), sequential, over loopback, signed in as an admin`,
        ]),
  ].join('\n');
}

function formatTable(results: RouteResult[], baseline: Stats, select1: Stats, options: UiBenchOptions) {
  const nameWidth = Math.max(34, ...results.map((result) => result.name.length + (result.firstByte ? 13 : 2)));
  const ms = (value: number) => value.toFixed(1).padStart(8);
  const ratio = (value: number) => `${value.toFixed(1)}x`.padStart(8);
  const header = `  ${'route'.padEnd(nameWidth)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)}  p95 ÷ baseline`;
  const lines = [
    `  baseline: GET /api/health p50 ${baseline.p50Ms} ms, p95 ${baseline.p95Ms} ms; ` +
      `SELECT 1 round trip p50 ${select1.p50Ms} ms, p95 ${select1.p95Ms} ms (${Math.max(100, options.requests * 5)} queries)`,
    header,
  ];
  for (const result of results) {
    const mark = result.meetsGoal ? '' : `  ✗ ≥ ${UI_GOAL_MS} ms`;
    if (result.firstByte) {
      lines.push(
        `  ${`${result.name} first byte`.padEnd(nameWidth)} ${ms(result.firstByte.p50Ms)} ${ms(result.firstByte.p95Ms)}  ` +
          `${ratio(result.p95VsBaseline)}${mark}`,
        `  ${`${result.name} whole`.padEnd(nameWidth)} ${ms(result.p50Ms)} ${ms(result.p95Ms)}  ` +
          `${ratio(result.p95Ms / Math.max(baseline.p95Ms, 0.1))}  (${(result.rows ?? 0).toLocaleString('en-US')} rows, ${formatBytes(result.bytes)})`,
      );
    } else {
      lines.push(
        `  ${result.name.padEnd(nameWidth)} ${ms(result.p50Ms)} ${ms(result.p95Ms)}  ${ratio(result.p95VsBaseline)}${mark}`,
      );
    }
  }
  return lines.join('\n');
}

function formatBytes(bytes: number) {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.round(bytes / 1e3)} kB`;
}

const round1 = (value: number) => Math.round(value * 10) / 10;
const round2 = (value: number) => Math.round(value * 100) / 100;
