// PATCH /api/v1/views/:id – rename, share or re-point a view (its owner or an admin); DELETE – remove it
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { getPool } from '@/lib/db/pool';
import { deleteSavedView, updateSavedView } from '@/lib/saved-views/change-saved-views';
import { viewViewerOf } from '@/lib/saved-views/list-saved-views';
import { savedViewPatchSchema } from '@/lib/saved-views/schemas';
import { route } from '../../../_lib/route';

export const dynamic = 'force-dynamic';

const params = z.object({ id: z.uuid() });
const notFound = 'no such view';

export const PATCH = route(
  { access: { permission: 'read' }, params, notFound, body: savedViewPatchSchema },
  ({ actor, params, body }) => updateSavedView(getPool(), params.id, viewViewerOf(actor), body),
);

export const DELETE = route({ access: { permission: 'read' }, params, notFound }, async ({ actor, params }) => {
  await deleteSavedView(getPool(), params.id, viewViewerOf(actor));
  return new NextResponse(null, { status: 204 });
});
