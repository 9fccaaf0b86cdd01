// What the HTTP ways in (uploads, audit webhook) share: run the pipeline, answer with the summary.
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { NextResponse } from 'next/server';
import { actorUserId } from '../auth/actor';
import { authorizeRequest } from '../auth/authorize-request';
import { getPool } from '../db/pool';
import { getEnv } from '../env';
import { jsonError } from '../http/responses';
import { clusterNameSchema } from './schemas';
import type { BatchSummary } from './batches';
import { IngestInputError } from './decode-input';
import { IngestFailure, ingestStream, type IngestRequest } from './ingest-stream';

export type IngestAnswer = { status: number; body: BatchSummary & { error?: string } };

const INPUT_ERROR_STATUS: Partial<Record<IngestInputError['code'], number>> = { 'too-large': 413, truncated: 400 };

/** Runs one input through the pipeline: 200 with the summary, 413/400/422 for input refused, 500 when storing failed. */
export async function ingestForHttp(
  input: AsyncIterable<Buffer | Uint8Array> | ReadableStream<Uint8Array>,
  request: IngestRequest,
): Promise<IngestAnswer> {
  const bytes = input instanceof ReadableStream ? Readable.fromWeb(input as WebReadableStream<Uint8Array>) : input;
  try {
    return { status: 200, body: await ingestStream(bytes, request, { pool: getPool() }) };
  } catch (error) {
    if (!(error instanceof IngestFailure)) throw error;
    const status = !(error.cause instanceof IngestInputError) ? 500 : (INPUT_ERROR_STATUS[error.cause.code] ?? 422);
    return { status, body: { ...error.summary, error: error.message } };
  }
}

export function answer(result: IngestAnswer) {
  return NextResponse.json(result.body, { status: result.status, headers: { 'cache-control': 'no-store' } });
}

/** 413 before reading anything when the declared length is already over the limit. */
export function refuseDeclaredOversize(request: Request, maxBytes: number): Response | null {
  const declared = declaredLength(request) ?? 0;
  return declared > maxBytes
    ? jsonError(413, `the body (${declared} bytes) is larger than the ${maxBytes}-byte limit`)
    : null;
}

/** Content-Length, when the sender gave one: a body that ends short of it was cut off on the way. */
export function declaredLength(request: Request): number | undefined {
  const header = request.headers.get('content-length');
  const value = header === null ? NaN : Number(header);
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/** The kube-apiserver audit webhook: an EventList per POST, stored under the named cluster. */
export async function receiveAuditWebhook(request: Request, clusterName: string | null) {
  const auth = await authorizeRequest(request, {
    permission: 'ingest',
    sessions: false,
    tokenScopesExactly: ['ingest'],
  });
  if (!auth.ok) return auth.response;
  const maxBytes = getEnv().VIGIL_MAX_WEBHOOK_BYTES;
  const oversize = refuseDeclaredOversize(request, maxBytes);
  if (oversize) return oversize;
  const cluster = clusterNameSchema.safeParse(clusterName ?? '');
  if (!cluster.success) {
    return jsonError(
      400,
      `cluster: ${cluster.error.issues[0]?.message ?? 'invalid'} (name the cluster in the webhook URL)`,
    );
  }
  if (!request.body) return jsonError(400, 'the request has no body: the API server sends an EventList');
  return answer(
    await ingestForHttp(request.body, {
      source: 'webhook',
      format: 'k8s-audit',
      cluster: cluster.data,
      createdById: actorUserId(auth.actor),
      maxBytes,
      expectedBytes: declaredLength(request),
    }),
  );
}
