// What the HTTP ways in (uploads, audit webhook) share: run the pipeline, answer with the summary.
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { NextResponse } from 'next/server';
import { getPool } from '../db/pool';
import { jsonError } from '../http/responses';
import { clusterNameSchema } from './schemas';
import type { BatchSummary } from './batches';
import { IngestInputError } from './decode-input';
import { IngestFailure, ingestStream, type IngestRequest } from './ingest-stream';

export type IngestAnswer = { status: number; body: BatchSummary & { error?: string } };

/** Runs one input through the pipeline: 200 with the summary, 422 for unusable input, 500 when storing failed. */
export async function ingestForHttp(
  input: AsyncIterable<Buffer | Uint8Array> | ReadableStream<Uint8Array>,
  request: IngestRequest,
): Promise<IngestAnswer> {
  const bytes = input instanceof ReadableStream ? Readable.fromWeb(input as WebReadableStream<Uint8Array>) : input;
  try {
    return { status: 200, body: await ingestStream(bytes, request, { pool: getPool() }) };
  } catch (error) {
    if (!(error instanceof IngestFailure)) throw error;
    const status = error.cause instanceof IngestInputError ? 422 : 500;
    return { status, body: { ...error.summary, error: error.message } };
  }
}

export function answer(result: IngestAnswer) {
  return NextResponse.json(result.body, { status: result.status, headers: { 'cache-control': 'no-store' } });
}

/** The kube-apiserver audit webhook: an EventList per POST, stored under the named cluster. */
export async function receiveAuditWebhook(request: Request, clusterName: string | null) {
  const cluster = clusterNameSchema.safeParse(clusterName ?? '');
  if (!cluster.success) {
    return jsonError(
      400,
      `cluster: ${cluster.error.issues[0]?.message ?? 'invalid'} (name the cluster in the webhook URL)`,
    );
  }
  if (!request.body) return jsonError(400, 'the request has no body: the API server sends an EventList');
  return answer(await ingestForHttp(request.body, { source: 'webhook', format: 'k8s-audit', cluster: cluster.data }));
}
