// GET /api/v1/views – your saved queue views and the team's shared ones, with live alert counts; POST – save one
import { NextResponse } from 'next/server';
import { getPool } from '@/lib/db/pool';
import { createSavedView } from '@/lib/saved-views/change-saved-views';
import { listSavedViews, viewViewerOf } from '@/lib/saved-views/list-saved-views';
import { savedViewInputSchema, savedViewListQuerySchema } from '@/lib/saved-views/schemas';
import { route } from '../../_lib/route';

export const dynamic = 'force-dynamic';

export const GET = route(
  { access: { permission: 'read' }, query: savedViewListQuerySchema },
  async ({ actor, query }) => ({
    views: await listSavedViews(getPool(), viewViewerOf(actor), { counts: query.counts === 'true' }),
  }),
);

export const POST = route({ access: { permission: 'read' }, body: savedViewInputSchema }, async ({ actor, body }) =>
  NextResponse.json(await createSavedView(getPool(), viewViewerOf(actor), body), { status: 201 }),
);
