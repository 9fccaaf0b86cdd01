// PATCH /api/v1/allowlist/:id – edit, enable or disable an entry; DELETE – remove it
import { NextResponse } from 'next/server';
import { AllowlistError } from '@/lib/allowlist/list-allowlist';
import { allowlistEntryPatchSchema } from '@/lib/allowlist/schemas';
import { deleteAllowlistEntry, updateAllowlistEntry } from '@/lib/allowlist/update-allowlist-entry';
import { authorizeRequest } from '@/lib/auth/authorize-request';
import { getPool } from '@/lib/db/pool';
import { formatFirstIssue } from '@/lib/format-first-issue';
import { readJsonBody } from '@/lib/http/read-json-body';
import { jsonError } from '@/lib/http/responses';
import { z } from 'zod';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

export async function PATCH(request: Request, context: Context) {
  const auth = await authorizeRequest(request, { permission: 'triage' });
  if (!auth.ok) return auth.response;
  const { id } = await context.params;
  if (!z.uuid().safeParse(id).success) return jsonError(404, 'no such allowlist entry');
  const json = await readJsonBody(request);
  if (!json.ok) return json.response;
  const patch = allowlistEntryPatchSchema.safeParse(json.value);
  if (!patch.success) return jsonError(400, formatFirstIssue(patch.error));
  try {
    return NextResponse.json(await updateAllowlistEntry(getPool(), id, patch.data));
  } catch (error) {
    if (error instanceof AllowlistError) return jsonError(error.status, error.message);
    throw error;
  }
}

export async function DELETE(request: Request, context: Context) {
  const auth = await authorizeRequest(request, { permission: 'triage' });
  if (!auth.ok) return auth.response;
  const { id } = await context.params;
  if (!z.uuid().safeParse(id).success) return jsonError(404, 'no such allowlist entry');
  try {
    await deleteAllowlistEntry(getPool(), id);
    return new NextResponse(null, { status: 204 });
  } catch (error) {
    if (error instanceof AllowlistError) return jsonError(error.status, error.message);
    throw error;
  }
}
