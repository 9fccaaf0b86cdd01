// POST /api/v1/uploads – ingest audit logs (raw body, or multipart with several files); GET lists batches
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { actorUserId } from '@/lib/auth/actor';
import { getDb } from '@/lib/db/client';
import { getEnv } from '@/lib/env';
import { listBatches } from '@/lib/ingest/batches';
import { ingestParamsSchema } from '@/lib/ingest/schemas';
import { answer, declaredLength, ingestForHttp, refuseDeclaredOversize } from '../../_lib/ingest-http';
import { readMultipartFiles } from '../../_lib/multipart-files';
import { jsonError } from '../../_lib/responses';
import { route } from '../../_lib/route';

export const dynamic = 'force-dynamic';

const MAX_FILES_PER_REQUEST = 20;

export const POST = route(
  { access: { permission: 'ingest' }, query: ingestParamsSchema },
  async ({ request, actor, query }) => {
    const maxBytes = getEnv().VIGIL_MAX_UPLOAD_BYTES;
    refuseDeclaredOversize(request, maxBytes);
    const owner = { createdById: actorUserId(actor), maxBytes };
    if (!request.body)
      return jsonError(400, 'the request has no body: send the log file as the body, or as multipart/form-data files');

    if ((request.headers.get('content-type') ?? '').startsWith('multipart/form-data')) {
      const batches = [];
      try {
        for await (const file of readMultipartFiles(request, { files: MAX_FILES_PER_REQUEST })) {
          const result = await ingestForHttp(file.stream, {
            ...query,
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
        ...query,
        source: 'upload',
        ...owner,
        expectedBytes: declaredLength(request),
      }),
    );
  },
);

const listQuery = z.object({ limit: z.coerce.number().catch(50) });

export const GET = route({ access: { permission: 'read' }, query: listQuery }, async ({ query }) =>
  NextResponse.json(
    { batches: await listBatches(getDb(), { limit: Math.min(Math.max(query.limit || 50, 1), 200) }) },
    { headers: { 'cache-control': 'no-store' } },
  ),
);
