// GET /api/v1/allowlist – every entry with hits; POST – create one, closing the open alerts it explains
import { NextResponse } from 'next/server';
import { createAllowlistEntry } from '@/lib/allowlist/create-allowlist-entry';
import { listAllowlist } from '@/lib/allowlist/list-allowlist';
import { allowlistEntryInputSchema } from '@/lib/allowlist/schemas';
import { activityActor } from '@/lib/auth/actor';
import { getPool } from '@/lib/db/pool';
import { route } from '../../_lib/route';

export const dynamic = 'force-dynamic';

export const GET = route({ access: { permission: 'read' } }, async () => ({ entries: await listAllowlist(getPool()) }));

export const POST = route(
  { access: { permission: 'triage' }, body: allowlistEntryInputSchema },
  async ({ body, actor }) =>
    NextResponse.json(await createAllowlistEntry(getPool(), body, activityActor(actor)), { status: 201 }),
);
