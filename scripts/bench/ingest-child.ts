// Runs one pipeline ingest in its own process, so its peak memory is measured alone.
import { createReadStream } from 'node:fs';
import pg from 'pg';
import { ingestStream } from '../../lib/ingest/ingest-stream';

const [databaseUrl, file] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
const started = performance.now();
const summary = await ingestStream(
  createReadStream(file ?? ''),
  { source: 'cli', format: 'auto', fileName: 'bench.ndjson' },
  { pool },
);
const seconds = (performance.now() - started) / 1000;
await pool.end();
process.stdout.write(`${JSON.stringify({ seconds, maxRssMb: process.resourceUsage().maxRSS / 1024, summary })}\n`);
