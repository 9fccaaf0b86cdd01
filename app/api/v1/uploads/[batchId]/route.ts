// GET /api/v1/uploads/:batchId – one batch's summary, current while it is being ingested
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { AppError } from '@/lib/app-error';
import { getDb } from '@/lib/db/client';
import { getBatchSummary } from '@/lib/ingest/batches';
import { route } from '../../../_lib/route';

export const dynamic = 'force-dynamic';

export const GET = route(
  { access: { permission: 'read' }, params: z.object({ batchId: z.uuid({ error: 'must be a UUID' }) }) },
  async ({ params }) => {
    const summary = await getBatchSummary(getDb(), params.batchId);
    if (!summary) throw new AppError('not-found', 'no such batch');
    return NextResponse.json(summary, { headers: { 'cache-control': 'no-store' } });
  },
);
