// GET /api/v1/allowlist – every entry with hits; POST – create one, closing the open alerts it explains
import { NextResponse } from 'next/server';
import { createAllowlistEntry } from '@/lib/allowlist/create-allowlist-entry';
import { AllowlistError, listAllowlist } from '@/lib/allowlist/list-allowlist';
import { allowlistEntryInputSchema } from '@/lib/allowlist/schemas';
import { AlertChangeError } from '@/lib/alerts/change-alerts';
import { activityActor } from '@/lib/auth/actor';
import { authorizeRequest } from '@/lib/auth/authorize-request';
import { getPool } from '@/lib/db/pool';
import { formatFirstIssue } from '@/lib/format-first-issue';
import { readJsonBody } from '@/lib/http/read-json-body';
import { jsonError } from '@/lib/http/responses';

export const dynamic = 'force-dynamic';

export async function GET(request: Request) {
  const auth = await authorizeRequest(request, { permission: 'read' });
  if (!auth.ok) return auth.response;
  return NextResponse.json({ entries: await listAllowlist(getPool()) });
}

export async function POST(request: Request) {
  const auth = await authorizeRequest(request, { permission: 'triage' });
  if (!auth.ok) return auth.response;
  const json = await readJsonBody(request);
  if (!json.ok) return json.response;
  const input = allowlistEntryInputSchema.safeParse(json.value);
  if (!input.success) return jsonError(400, formatFirstIssue(input.error));
  try {
    const created = await createAllowlistEntry(getPool(), input.data, activityActor(auth.actor));
    return NextResponse.json(created, { status: 201 });
  } catch (error) {
    if (error instanceof AllowlistError || error instanceof AlertChangeError)
      return jsonError(error.status, error.message);
    throw error;
  }
}
