// npm run bench -- ingest|detect|ui|live|incidents|retention: every benchmark measures against a baseline in the same run on the
// same database server, so the ratio holds on a noisy machine. Each lives in bench-<name>.ts.
import { parseArgs } from 'node:util';
import { createScratchDatabase, openKeptDatabase, type ScratchDatabase } from '../../lib/db/scratch-database';
import type { CommandResult } from '../cli-output';
import { withDatabase } from '../with-database';
import { benchDetect } from './bench-detect';
import { benchIncidents } from './bench-incidents';
import { benchIngest } from './bench-ingest';
import { benchLive } from './bench-live';
import { benchRetention } from './bench-retention';
import { benchEnv, benchUi, compareUiRuns, keptDatasetName, openUiDataset } from './bench-ui';

const USAGE = `usage: npm run bench -- ingest [--events N]
       npm run bench -- detect [--events N] [--dataset]
       npm run bench -- ui [--events N[,N2…]] [--ingest N] [--alerts N] [--requests R] [--warmup W] [--keep] [--dataset] [--load-only]
       npm run bench -- live [--minutes M] [--concurrency C] [--batch B]
       npm run bench -- incidents [--alerts N]
       npm run bench -- retention [--events N] [--requests R]`;

export async function benchCommand(args: string[]): Promise<CommandResult> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      events: { type: 'string' },
      alerts: { type: 'string' },
      ingest: { type: 'string' },
      requests: { type: 'string' },
      warmup: { type: 'string' },
      keep: { type: 'boolean', default: false },
      dataset: { type: 'boolean', default: false },
      'load-only': { type: 'boolean', default: false },
      minutes: { type: 'string' },
      concurrency: { type: 'string' },
      batch: { type: 'string' },
    },
  });
  const target = positionals[0] ?? '';
  if (!['ingest', 'detect', 'ui', 'live', 'incidents', 'retention'].includes(target)) throw new Error(USAGE);
  if (target !== 'ui' && ((values.warmup ?? values.ingest) !== undefined || values['load-only']))
    throw new Error(`--warmup, --ingest and --load-only are for the ui benchmark\n${USAGE}`);
  if (target !== 'ui' && target !== 'retention' && values.requests !== undefined)
    throw new Error(`--requests is for the ui and retention benchmarks\n${USAGE}`);
  if (target !== 'ui' && target !== 'incidents' && values.alerts !== undefined)
    throw new Error(`--alerts is for the ui and incidents benchmarks\n${USAGE}`);
  if (target !== 'ui' && target !== 'detect' && values.dataset)
    throw new Error(`--dataset is for the ui and detect benchmarks\n${USAGE}`);
  // ui takes several sizes (--events 1000000,10000000): measured one after the other in the same run.
  const sizes = (values.events ?? (target === 'ingest' ? '500000' : '1000000')).split(',').map(Number);
  if (sizes.some((size) => !Number.isInteger(size) || size < 1000))
    throw new Error('--events: a whole number of at least 1000 (ui: or a comma-separated list of them)');
  if (target !== 'ui' && sizes.length > 1) throw new Error(`several --events sizes are for the ui benchmark\n${USAGE}`);
  const events = sizes[0]!;
  const ui = {
    events,
    dataset: values.dataset,
    alerts: wholeNumber(values.alerts ?? '10000', '--alerts', 0),
    // Past this many events, the rest are earlier copies of them (INSERT … SELECT): a 10M load in minutes.
    ingest: wholeNumber(values.ingest ?? '1000000', '--ingest', 1000),
    requests: wholeNumber(values.requests ?? '30', '--requests', 1),
    warmup: wholeNumber(values.warmup ?? '3', '--warmup', 0),
    loadOnly: values['load-only'],
  };
  // --keep: left for EXPLAIN ANALYZE of a slow route's queries; drop it by hand afterwards.
  const releaseDatabase = async (database: ScratchDatabase) => {
    if (values.keep) log(`kept the scratch database: ${database.url}  (drop it: DROP DATABASE "${database.name}")`);
    else await database.drop().catch(() => {});
  };
  return withDatabase(
    async (server) => {
      // Benchmarks load their own databases and drop them: the app's data is never touched.
      if (target === 'ingest') return benchIngest(server.url, events, log);
      if (target === 'ui') {
        const runs = [];
        for (const size of [...sizes].sort((a, b) => a - b)) {
          // --dataset: one database per size and alert count, kept between runs and reused.
          const database = values.dataset
            ? await openKeptDatabase(server.url, keptDatasetName({ ...ui, events: size }))
            : await createScratchDatabase(server.url, 'vigil_bench_', target);
          try {
            runs.push({ events: size, ...(await benchUi(database.url, { ...ui, events: size }, log)) });
          } finally {
            if (values.dataset) log(`kept the dataset for the next --dataset run: ${database.url}`);
            else await releaseDatabase(database);
          }
        }
        if (runs.length === 1) return runs[0]!;
        if (ui.loadOnly)
          return {
            ok: true,
            text: runs.map((run) => run.text).join('\n\n'),
            json: { runs: runs.map((run) => run.json) },
          };
        return compareUiRuns(runs);
      }
      if (target === 'detect' && values.dataset) {
        // The rules run over a copy: the kept dataset keeps its alerts for the ui benchmark.
        const kept = await openKeptDatabase(server.url, keptDatasetName(ui));
        const { report } = await openUiDataset(kept.url, ui, benchEnv(kept.url), log);
        log(`copying the kept dataset ${kept.name} (not timed)…`);
        const copy = await createScratchDatabase(server.url, 'vigil_bench_', target, kept.name);
        try {
          return await benchDetect(copy.url, events, log, { detectedAlerts: report.detectedAlerts });
        } finally {
          await releaseDatabase(copy);
        }
      }
      const database = await createScratchDatabase(server.url, 'vigil_bench_', target);
      try {
        if (target === 'incidents')
          return await benchIncidents(
            database.url,
            { alerts: wholeNumber(values.alerts ?? '10000', '--alerts', 1) },
            log,
          );
        if (target === 'retention')
          return await benchRetention(
            database.url,
            { events, requests: wholeNumber(values.requests ?? '5', '--requests', 1) },
            log,
          );
        if (target === 'live') {
          const live = {
            minutes: wholeNumber(values.minutes ?? '10', '--minutes', 1),
            concurrency: wholeNumber(values.concurrency ?? '16', '--concurrency', 1),
            batchEvents: wholeNumber(values.batch ?? '500', '--batch', 1),
          };
          return await benchLive(database.url, live, log);
        }
        return await benchDetect(database.url, events, log);
      } finally {
        await releaseDatabase(database);
      }
    },
    { needsSchema: false },
  );
}

function wholeNumber(text: string, name: string, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name}: a whole number of at least ${min}`);
  return value;
}

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
