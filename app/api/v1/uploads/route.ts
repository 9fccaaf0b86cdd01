// POST /api/v1/uploads – ingest audit logs (raw body, or multipart with several files); GET lists batches
import { NextResponse } from 'next/server';
import { actorUserId } from '@/lib/auth/actor';
import { authorizeRequest } from '@/lib/auth/authorize-request';
import { getDb } from '@/lib/db/client';
import { getEnv } from '@/lib/env';
import { readMultipartFiles } from '@/lib/http/multipart-files';
import { jsonError } from '@/lib/http/responses';
import { listBatches } from '@/lib/ingest/batches';
import { answer, declaredLength, ingestForHttp, refuseDeclaredOversize } from '@/lib/ingest/ingest-http';
import { ingestParamsSchema } from '@/lib/ingest/schemas';
import { formatFirstIssue } from '@/lib/format-first-issue';

export const dynamic = 'force-dynamic';

const MAX_FILES_PER_REQUEST = 20;

export async function POST(request: Request) {
  const auth = await authorizeRequest(request, { permission: 'ingest' });
  if (!auth.ok) return auth.response;
  const maxBytes = getEnv().VIGIL_MAX_UPLOAD_BYTES;
  const oversize = refuseDeclaredOversize(request, maxBytes);
  if (oversize) return oversize;
  const owner = { createdById: actorUserId(auth.actor), maxBytes };
  const params = ingestParamsSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!params.success) return jsonError(400, formatFirstIssue(params.error));
  if (!request.body)
    return jsonError(400, 'the request has no body: send the log file as the body, or as multipart/form-data files');

  if ((request.headers.get('content-type') ?? '').startsWith('multipart/form-data')) {
    const batches = [];
    try {
      for await (const file of readMultipartFiles(request, { files: MAX_FILES_PER_REQUEST })) {
        const result = await ingestForHttp(file.stream, {
          ...params.data,
          batchId: undefined,
          fileName: file.fileName,
          source: 'upload',
          ...owner,
        });
        batches.push(result.body);
      }
    } catch (error) {
      return jsonError(400, (error as Error).message, { batches });
    }
    if (batches.length === 0) return jsonError(400, 'the multipart body holds no file');
    const status = batches.every((batch) => batch.status === 'completed') ? 200 : 422;
    return NextResponse.json({ batches }, { status });
  }
  return answer(
    await ingestForHttp(request.body, {
      ...params.data,
      source: 'upload',
      ...owner,
      expectedBytes: declaredLength(request),
    }),
  );
}

export async function GET(request: Request) {
  const auth = await authorizeRequest(request, { permission: 'read' });
  if (!auth.ok) return auth.response;
  const limit = Math.min(Math.max(Number(new URL(request.url).searchParams.get('limit') ?? 50) || 50, 1), 200);
  return NextResponse.json(
    { batches: await listBatches(getDb(), { limit }) },
    { headers: { 'cache-control': 'no-store' } },
  );
}
