import { constants, createReadStream } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { BatchSummary } from '../../lib/ingest/batches';
import { ingestStream, isIngestFailure } from '../../lib/ingest/ingest-stream';
import { ingestParamsSchema } from '../../lib/ingest/schemas';
import { formatFirstIssue } from '../../lib/format-first-issue';
import type { CommandResult } from '../cli-output';
import { withDatabase } from '../with-database';

/** vigil ingest FILE… [--format F] [--cluster NAME] [--server URL [--token T]] [--json] */
export async function ingestCommand(args: string[]): Promise<CommandResult> {
  const { values, positionals: files } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      cluster: { type: 'string' },
      server: { type: 'string' },
      token: { type: 'string' },
    },
  });
  if (files.length === 0) throw new Error('usage: vigil ingest FILE… [--format F] [--cluster NAME] [--json]');
  const params = ingestParamsSchema.safeParse({ format: values.format, cluster: values.cluster });
  if (!params.success) throw new Error(formatFirstIssue(params.error));
  for (const file of files) {
    await access(file, constants.R_OK).catch(() => {
      throw new Error(`cannot read ${file}: no such file, or no permission`);
    });
  }

  if (values.server) {
    const token = values.token ?? process.env.VIGIL_TOKEN;
    if (!token) throw new Error('--server needs an API token with the ingest scope: --token T or VIGIL_TOKEN');
    const batches = [];
    for (const file of files) batches.push(await sendToServer(values.server, token, file, params.data));
    const ok = batches.every((batch) => batch.status === 'completed');
    return { ok, text: batches.map(describeBatch).join('\n\n'), json: { batches } };
  }

  return withDatabase(async (database) => {
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    pool.on('error', () => {});
    const batches: (BatchSummary & { file: string; error?: string })[] = [];
    try {
      for (const file of files) {
        const request = { ...params.data, source: 'cli' as const, fileName: path.basename(file) };
        try {
          batches.push({ file, ...(await ingestStream(createReadStream(file), request, { pool })) });
        } catch (error) {
          if (!isIngestFailure(error)) throw error;
          batches.push({ file, ...error.details.summary, error: error.message });
        }
      }
    } finally {
      await pool.end();
    }
    const ok = batches.every((batch) => batch.status === 'completed');
    return { ok, text: batches.map(describeBatch).join('\n\n'), json: { batches } };
  });
}

/** Streams one file to a running Vigil's upload endpoint. */
async function sendToServer(
  server: string,
  token: string,
  file: string,
  params: { format: string; cluster?: string },
): Promise<BatchSummary & { file: string; error?: string }> {
  const url = new URL('/api/v1/uploads', server);
  url.searchParams.set('format', params.format);
  url.searchParams.set('fileName', path.basename(file));
  if (params.cluster) url.searchParams.set('cluster', params.cluster);
  const { size } = await stat(file);
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-length': String(size) },
    body: Readable.toWeb(createReadStream(file)) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  const body = (await response.json().catch(() => ({}))) as Partial<BatchSummary> & { error?: string };
  if (response.status === 401 || response.status === 403 || body.batchId === undefined) {
    throw new Error(`${file}: ${url.origin} answered ${response.status}: ${body.error ?? response.statusText}`);
  }
  return { file, ...(body as BatchSummary), ...(body.error ? { error: body.error } : {}) };
}

function describeBatch(batch: BatchSummary & { file: string; error?: string }) {
  const lines = [
    `${batch.file}: ${batch.status === 'completed' ? 'done' : `FAILED: ${batch.error ?? batch.failureReason}`}`,
    `  batch ${batch.batchId}  format ${batch.format ?? 'unknown'}  received ${batch.received}  stored ${batch.stored}  duplicates ${batch.duplicates}  rejected ${batch.rejected}  skipped ${batch.skipped}`,
    ...batch.errors.slice(0, 10).map((error) => `  line ${error.line}: ${error.reason}`),
  ];
  if (batch.errors.length > 10) lines.push(`  … ${batch.rejected - 10} more rejected`);
  return lines.join('\n');
}
