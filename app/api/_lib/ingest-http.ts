// What the HTTP ways in (uploads, audit webhook) share: run the pipeline, answer with the summary.
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { AppError } from '@/lib/app-error';
import { actorUserId } from '@/lib/auth/actor';
import { getPool } from '@/lib/db/pool';
import { getEnv } from '@/lib/env';
import type { BatchSummary } from '@/lib/ingest/batches';
import { ingestStream, isIngestFailure, type IngestRequest } from '@/lib/ingest/ingest-stream';
import { clusterNameSchema } from '@/lib/ingest/schemas';
import { APP_ERROR_STATUS, jsonError } from './responses';
import { route } from './route';

export type IngestAnswer = { status: number; body: BatchSummary & { error?: string } };

/** Runs one input through the pipeline: 200 with the summary, else the refusal's status with the summary and why. */
export async function ingestForHttp(
  input: AsyncIterable<Buffer | Uint8Array> | ReadableStream<Uint8Array>,
  request: IngestRequest,
): Promise<IngestAnswer> {
  const bytes = input instanceof ReadableStream ? Readable.fromWeb(input as WebReadableStream<Uint8Array>) : input;
  try {
    return { status: 200, body: await ingestStream(bytes, request, { pool: getPool() }) };
  } catch (error) {
    if (!isIngestFailure(error)) throw error;
    return { status: APP_ERROR_STATUS[error.code], body: { ...error.details.summary, error: error.message } };
  }
}

export function answer(result: IngestAnswer) {
  return NextResponse.json(result.body, { status: result.status, headers: { 'cache-control': 'no-store' } });
}

/** Content-Length, when the sender gave one: a body that ends short of it was cut off on the way. */
export function declaredLength(request: Request): number | undefined {
  const header = request.headers.get('content-length');
  const value = header === null ? NaN : Number(header);
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/** 413 before reading anything when the declared length is already over the limit. */
export function refuseDeclaredOversize(request: Request, maxBytes: number) {
  const declared = declaredLength(request) ?? 0;
  if (declared > maxBytes)
    throw new AppError('too-large', `the body (${declared} bytes) is larger than the ${maxBytes}-byte limit`);
}

/** The kube-apiserver audit webhook: an EventList per POST, stored under the named cluster. */
export function auditWebhookRoute(clusterOf: (request: Request, params: Record<string, string>) => string | null) {
  return route(
    {
      access: { permission: 'ingest', sessions: false, tokenScopesExactly: ['ingest'] },
      params: z.record(z.string(), z.string()),
    },
    async ({ request, actor, params }) => {
      const maxBytes = getEnv().VIGIL_MAX_WEBHOOK_BYTES;
      refuseDeclaredOversize(request, maxBytes);
      const cluster = clusterNameSchema.safeParse(clusterOf(request, params) ?? '');
      if (!cluster.success) {
        const why = cluster.error.issues[0]?.message ?? 'invalid';
        return jsonError(400, `cluster: ${why} (name the cluster in the webhook URL)`);
      }
      if (!request.body) return jsonError(400, 'the request has no body: the API server sends an EventList');
      return answer(
        await ingestForHttp(request.body, {
          source: 'webhook',
          format: 'k8s-audit',
          cluster: cluster.data,
          createdById: actorUserId(actor),
          maxBytes,
          expectedBytes: declaredLength(request),
        }),
      );
    },
  );
}
