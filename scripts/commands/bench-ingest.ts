// npm run bench -- ingest [--events N]: Vigil's pipeline against a plain COPY of the same rows into the
// same partitioned tables with the same indexes, measured in the same run on the same server.
//   1. the scenario's NDJSON goes through Vigil's pipeline into one scratch database (timed, own process);
//   2. the rows it stored are dumped (not timed) and COPYed into a second, identical database (timed),
//      with the rollup triggers off: the baseline does only what a plain COPY does.
import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { generateScenario } from '../../lib/demo/generate-scenario';
import { writeScenario } from '../../lib/demo/write-format';
import { createScratchDatabase } from '../../lib/db/scratch-database';
import { INGEST_V8_FLAGS } from '../../lib/node-options';
import { ensurePartitions, listPartitions, type PartitionKey } from '../../lib/storage/partitions';
import type { CommandResult } from '../cli-output';
import { applyAllMigrations } from './migrate';

const run = promisify(execFile);

/** What the baseline loads: every event table the pipeline wrote. */
const EVENT_TABLES = ['audit_events', 'audit_event_originals', 'file_events'] as const;

type PipelineResult = { seconds: number; maxRssMb: number; summary: { stored: number; requests: number } };

export async function benchIngest(serverUrl: string, events: number, log: (message: string) => void) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vigil-bench-'));
  const vigil = await createScratchDatabase(serverUrl, 'vigil_bench_', 'pipeline');
  const baseline = await createScratchDatabase(serverUrl, 'vigil_bench_', 'copy');
  try {
    const file = path.join(dir, 'audit.ndjson');
    log(`generating ${events.toLocaleString('en-US')} events…`);
    await writeNdjson(events, file);
    const bytes = (await stat(file)).size;
    await Promise.all([applyAllMigrations(vigil.url), applyAllMigrations(baseline.url)]);

    log('Vigil pipeline: parse, normalize, merge stages, deduplicate, store, keep rollups…');
    const pipelineResult = await runPipeline(vigil.url, file);
    const requests = await countRows(vigil.url, 'audit_events');
    if (pipelineResult.summary.requests !== requests)
      throw new Error(`the pipeline reported ${pipelineResult.summary.requests} requests; ${requests} are stored`);

    log('baseline: the same rows, COPY into the same partitioned tables and indexes…');
    const dumps = await dumpTables(vigil.url, dir);
    const baselineSeconds = await copyTables(baseline.url, dumps);
    const disk = await measureDisk(vigil.url, requests);

    const copyRate = requests / baselineSeconds;
    const pipelineRate = requests / pipelineResult.seconds;
    const report = {
      events,
      requests,
      fileMb: round(bytes / 1e6),
      baseline: { seconds: round(baselineSeconds), requestsPerSecond: Math.round(copyRate) },
      pipeline: {
        seconds: round(pipelineResult.seconds),
        requestsPerSecond: Math.round(pipelineRate),
        eventsPerSecond: Math.round(events / pipelineResult.seconds),
        mbPerSecond: round(bytes / 1e6 / pipelineResult.seconds),
        peakRssMb: Math.round(pipelineResult.maxRssMb),
      },
      ratio: round(pipelineRate / copyRate),
      bytesPerRequest: { ndjson: Math.round(bytes / requests), ...disk },
    };
    const perRequest = report.bytesPerRequest;
    const text = [
      `ingest benchmark: ${events.toLocaleString('en-US')} audit records (${requests.toLocaleString('en-US')} requests), ${report.fileMb} MB of NDJSON`,
      `  plain COPY (baseline)  ${report.baseline.requestsPerSecond.toLocaleString('en-US')} requests/s  (${report.baseline.seconds} s)`,
      `  Vigil pipeline         ${report.pipeline.requestsPerSecond.toLocaleString('en-US')} requests/s, ${report.pipeline.eventsPerSecond.toLocaleString('en-US')} records/s  (${report.pipeline.seconds} s, ${report.pipeline.mbPerSecond} MB/s)`,
      `  ratio                  ${report.ratio} of the COPY rate (goal ≥ 0.8)`,
      `  pipeline peak memory   ${report.pipeline.peakRssMb} MB RSS`,
      `  bytes per request      ${perRequest.total} on disk (rows ${perRequest.rows}, indexes ${perRequest.indexes}, originals ${perRequest.originals}, rollups ${perRequest.rollups}) vs ${perRequest.ndjson} of NDJSON`,
    ].join('\n');
    return { ok: true, text, json: report } satisfies CommandResult;
  } finally {
    await Promise.allSettled([vigil.drop(), baseline.drop()]);
    await rm(dir, { recursive: true, force: true });
  }
}

async function writeNdjson(events: number, file: string) {
  const scenario = generateScenario({ events, end: new Date() });
  const out = createWriteStream(file);
  for await (const text of writeScenario(scenario, 'k8s-audit')) if (!out.write(text)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

async function runPipeline(url: string, file: string): Promise<PipelineResult> {
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
  return JSON.parse(child.stdout) as PipelineResult;
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function countRows(url: string, table: string): Promise<number> {
  return withClient(url, async (client) => {
    const result = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    return Number(result.rows[0]!.n);
  });
}

async function dumpTables(url: string, dir: string) {
  return withClient(url, async (client) => {
    // The baseline gets the partitions the pipeline made.
    const keys = (await listPartitions(client)).map(({ day, cluster }) => ({ day, cluster }));
    const files: Record<string, string> = {};
    for (const table of EVENT_TABLES) {
      files[table] = path.join(dir, `${table}.copy`);
      await pipeline(client.query(copyTo(`COPY (SELECT * FROM ${table}) TO STDOUT`)), createWriteStream(files[table]));
    }
    return { files, keys };
  });
}

async function copyTables(url: string, dumps: { files: Record<string, string>; keys: PartitionKey[] }) {
  return withClient(url, async (client) => {
    await ensurePartitions(client, dumps.keys);
    for (const table of EVENT_TABLES) await client.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
    const started = performance.now();
    await client.query('BEGIN');
    for (const table of EVENT_TABLES)
      await pipeline(createReadStream(dumps.files[table]!), client.query(copyFrom(`COPY ${table} FROM STDIN`)));
    await client.query('COMMIT');
    return (performance.now() - started) / 1000;
  });
}

/** Bytes on disk per stored request: rows, indexes, originals (with their TOAST) and rollups. */
async function measureDisk(url: string, requests: number) {
  return withClient(url, async (client) => {
    const size = async (sql: string) => Number((await client.query<{ n: string }>(sql)).rows[0]!.n ?? 0);
    const partitionsOf = (parent: string) =>
      `SELECT relid AS inhrelid FROM pg_partition_tree('${parent}'::regclass) WHERE isleaf`;
    const rows = await size(
      `SELECT coalesce(sum(pg_table_size(inhrelid)), 0) AS n FROM (${partitionsOf('audit_events')}) p`,
    );
    const indexes = await size(
      `SELECT coalesce(sum(pg_indexes_size(inhrelid)), 0) AS n FROM (${partitionsOf('audit_events')}) p`,
    );
    const originals = await size(
      `SELECT coalesce(sum(pg_total_relation_size(inhrelid)), 0) AS n FROM (${partitionsOf('audit_event_originals')}) p`,
    );
    const rollups = await size(
      `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) AS n FROM pg_class c
        WHERE c.relkind = 'r' AND c.relname LIKE '%rollup%'`,
    );
    const per = (bytes: number) => Math.round(bytes / requests);
    return {
      rows: per(rows),
      indexes: per(indexes),
      originals: per(originals),
      rollups: per(rollups),
      total: per(rows + indexes + originals + rollups),
    };
  });
}

const round = (value: number) => Math.round(value * 100) / 100;
