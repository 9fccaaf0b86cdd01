// GET /api/v1/uploads/:batchId – one batch's summary, current while it is being ingested
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { authorizeRequest } from '@/lib/auth/authorize-request';
import { getDb } from '@/lib/db/client';
import { jsonError } from '@/lib/http/responses';
import { getBatchSummary } from '@/lib/ingest/batches';

export const dynamic = 'force-dynamic';

export async function GET(request: Request, context: { params: Promise<{ batchId: string }> }) {
  const auth = await authorizeRequest(request, { permission: 'read' });
  if (!auth.ok) return auth.response;
  const batchId = z.uuid().safeParse((await context.params).batchId);
  if (!batchId.success) return jsonError(400, 'batchId: must be a UUID');
  const summary = await getBatchSummary(getDb(), batchId.data);
  if (!summary) return jsonError(404, 'no such batch');
  return NextResponse.json(summary, { headers: { 'cache-control': 'no-store' } });
}
