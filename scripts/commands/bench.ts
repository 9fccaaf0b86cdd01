// npm run bench -- ingest [--events N]: Vigil's pipeline against a plain COPY of the same rows,
// measured in the same run on the same database server, so the ratio holds on a noisy machine.
// `detect` and `ui` live in bench-detect.ts and bench-ui.ts.
import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { generateScenario } from '../../lib/demo/generate-scenario';
import { writeScenario } from '../../lib/demo/write-format';
import { parseRecord } from '../../lib/ingest/detect-format';
import { AUDIT_EVENT_WRITTEN_FIELDS, auditEvents } from '../../lib/events/audit-event-columns';
import { auditRow } from '../../lib/ingest/store-events';
import { INGEST_V8_FLAGS } from '../../lib/node-options';
import type { CommandResult } from '../cli-output';
import { withDatabase } from '../with-database';
import { benchDetect } from './bench-detect';
import { benchUi } from './bench-ui';
import { applyAllMigrations } from './migrate';
import { createScratchDatabase } from '../../lib/db/scratch-database';

const run = promisify(execFile);

// The same columns as audit_events (from its one definition), the original inline.
const BASELINE_TABLE = `
  CREATE TABLE bench_copy_baseline (
    ord int, ${auditEvents.ddl(AUDIT_EVENT_WRITTEN_FIELDS)}, original jsonb NOT NULL,
    UNIQUE (cluster, audit_id, stage)
  );
  CREATE INDEX ON bench_copy_baseline (time);
  CREATE INDEX ON bench_copy_baseline (username, time);
  CREATE INDEX ON bench_copy_baseline (source_ip, time);
  CREATE INDEX ON bench_copy_baseline (pod_name, time);
  CREATE INDEX ON bench_copy_baseline (namespace, pod_name, time);
  CREATE INDEX ON bench_copy_baseline (resource, verb, time);`;

const USAGE = `usage: npm run bench -- ingest|detect [--events N]
       npm run bench -- ui [--events N] [--alerts N] [--requests R] [--warmup W] [--keep] [--load-only]`;

export async function benchCommand(args: string[]): Promise<CommandResult> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      events: { type: 'string' },
      alerts: { type: 'string' },
      requests: { type: 'string' },
      warmup: { type: 'string' },
      keep: { type: 'boolean', default: false },
      'load-only': { type: 'boolean', default: false },
    },
  });
  const [target] = positionals;
  if (target !== 'ingest' && target !== 'detect' && target !== 'ui') throw new Error(USAGE);
  if (target !== 'ui' && ((values.alerts ?? values.requests ?? values.warmup) !== undefined || values['load-only']))
    throw new Error(`--alerts, --requests, --warmup and --load-only are for the ui benchmark\n${USAGE}`);
  const events = Number(values.events ?? (target === 'ingest' ? 500_000 : 1_000_000));
  if (!Number.isInteger(events) || events < 1000) throw new Error('--events: a whole number of at least 1000');
  const ui = {
    events,
    alerts: wholeNumber(values.alerts ?? '10000', '--alerts', 0),
    requests: wholeNumber(values.requests ?? '30', '--requests', 1),
    warmup: wholeNumber(values.warmup ?? '3', '--warmup', 0),
    loadOnly: values['load-only'],
  };
  return withDatabase(async (server) => {
    // Benchmarks load their own database and drop it: the app's data is never touched.
    const database = await createScratchDatabase(server.url, 'vigil_bench_', target);
    try {
      if (target === 'ui') return await benchUi(database.url, ui, log);
      return target === 'detect'
        ? await benchDetect(database.url, events, log)
        : await benchIngest(database.url, events);
    } finally {
      // --keep: left for EXPLAIN ANALYZE of a slow route's queries; drop it by hand afterwards.
      if (values.keep) log(`kept the scratch database: ${database.url}  (drop it: DROP DATABASE "${database.name}")`);
      else await database.drop().catch(() => {});
    }
  });
}

function wholeNumber(text: string, name: string, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name}: a whole number of at least ${min}`);
  return value;
}

async function benchIngest(url: string, events: number): Promise<CommandResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vigil-bench-'));
  try {
    const file = path.join(dir, 'audit.ndjson');
    const copyFile = path.join(dir, 'baseline.copy');
    log(`generating ${events.toLocaleString('en-US')} events…`);
    await writeFiles(events, file, copyFile);
    const bytes = (await stat(file)).size;
    await applyAllMigrations(url);

    log('baseline: COPY into an equivalent table (same columns and indexes, original as inline jsonb)…');
    const baselineSeconds = await timeBaselineCopy(url, copyFile);
    log('Vigil pipeline: parse, normalize, deduplicate, store…');
    // The same V8 flags the web server runs uploads with.
    const child = await run(
      process.execPath,
      [
        ...INGEST_V8_FLAGS,
        '--import',
        path.join(import.meta.dirname, '../../bin/register.mjs'),
        path.join(import.meta.dirname, '../bench/ingest-child.ts'),
        url,
        file,
      ],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    const pipeline = JSON.parse(child.stdout) as { seconds: number; maxRssMb: number; summary: { stored: number } };
    if (pipeline.summary.stored !== events)
      throw new Error(`the pipeline stored ${pipeline.summary.stored} of ${events} events`);

    const copyRate = events / baselineSeconds;
    const pipelineRate = events / pipeline.seconds;
    const report = {
      events,
      fileMb: round(bytes / 1e6),
      baseline: { seconds: round(baselineSeconds), eventsPerSecond: Math.round(copyRate) },
      pipeline: {
        seconds: round(pipeline.seconds),
        eventsPerSecond: Math.round(pipelineRate),
        mbPerSecond: round(bytes / 1e6 / pipeline.seconds),
        peakRssMb: Math.round(pipeline.maxRssMb),
      },
      ratio: round(pipelineRate / copyRate),
    };
    const text = [
      `ingest benchmark: ${events.toLocaleString('en-US')} events, ${report.fileMb} MB of NDJSON`,
      `  plain COPY (baseline)  ${report.baseline.eventsPerSecond.toLocaleString('en-US')} events/s  (${report.baseline.seconds} s)`,
      `  Vigil pipeline         ${report.pipeline.eventsPerSecond.toLocaleString('en-US')} events/s  (${report.pipeline.seconds} s, ${report.pipeline.mbPerSecond} MB/s)`,
      `  ratio                  ${report.ratio} of the COPY rate (goal ≥ 0.5)`,
      `  pipeline peak memory   ${report.pipeline.peakRssMb} MB RSS (goal < 300 MB on a 1 GB file)`,
    ].join('\n');
    return { ok: true, text, json: report };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The NDJSON input, and the same rows already normalized for the baseline COPY (not timed). */
async function writeFiles(events: number, file: string, copyFile: string) {
  const scenario = generateScenario({ events, end: new Date() });
  const out = createWriteStream(file);
  for await (const text of writeScenario(scenario, 'k8s-audit')) if (!out.write(text)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');

  const copy = createWriteStream(copyFile);
  let ord = 0;
  for (const event of scenario.auditEvents()) {
    const text = JSON.stringify(event);
    for (const outcome of parseRecord(event, { text, container: null }, 'k8s-audit').outcomes) {
      if (outcome.kind !== 'audit') continue;
      const staged = { event: outcome.event, line: ord, cluster: 'default', sourceFormat: 'k8s-audit' };
      const row = auditRow(staged, ord++, null);
      if (!copy.write(`${row}\n`)) await once(copy, 'drain');
    }
  }
  copy.end();
  await once(copy, 'finish');
}

async function timeBaselineCopy(url: string, copyFile: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(BASELINE_TABLE);
    const started = performance.now();
    const stream = client.query(copyFrom('COPY bench_copy_baseline FROM STDIN'));
    createReadStream(copyFile).pipe(stream);
    await once(stream, 'finish');
    return (performance.now() - started) / 1000;
  } finally {
    await client.end();
  }
}

const round = (value: number) => Math.round(value * 100) / 100;
const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
