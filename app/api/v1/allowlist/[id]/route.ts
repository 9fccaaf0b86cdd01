// PATCH /api/v1/allowlist/:id – edit, enable or disable an entry; DELETE – remove it
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { allowlistEntryPatchSchema } from '@/lib/allowlist/schemas';
import { deleteAllowlistEntry, updateAllowlistEntry } from '@/lib/allowlist/update-allowlist-entry';
import { getPool } from '@/lib/db/pool';
import { route } from '../../../_lib/route';

export const dynamic = 'force-dynamic';

const params = z.object({ id: z.uuid() });
const notFound = 'no such allowlist entry';

export const PATCH = route(
  { access: { permission: 'triage' }, params, notFound, body: allowlistEntryPatchSchema },
  ({ params, body }) => updateAllowlistEntry(getPool(), params.id, body),
);

export const DELETE = route({ access: { permission: 'triage' }, params, notFound }, async ({ params }) => {
  await deleteAllowlistEntry(getPool(), params.id);
  return new NextResponse(null, { status: 204 });
});
