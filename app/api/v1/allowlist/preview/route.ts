// POST /api/v1/allowlist/preview – what an entry would match and which open alerts saving it would close; writes nothing
import { NextResponse } from 'next/server';
import { previewAllowlistImpact } from '@/lib/allowlist/preview-allowlist-impact';
import { allowlistPreviewSchema } from '@/lib/allowlist/schemas';
import { authorizeRequest } from '@/lib/auth/authorize-request';
import { getPool } from '@/lib/db/pool';
import { formatFirstIssue } from '@/lib/format-first-issue';
import { readJsonBody } from '@/lib/http/read-json-body';
import { jsonError } from '@/lib/http/responses';

export const dynamic = 'force-dynamic';

export async function POST(request: Request) {
  const auth = await authorizeRequest(request, { permission: 'triage' });
  if (!auth.ok) return auth.response;
  const json = await readJsonBody(request);
  if (!json.ok) return json.response;
  const scope = allowlistPreviewSchema.safeParse(json.value);
  if (!scope.success) return jsonError(400, formatFirstIssue(scope.error));
  return NextResponse.json(await previewAllowlistImpact(getPool(), scope.data));
}
