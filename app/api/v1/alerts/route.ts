// GET /api/v1/alerts – the alert queue: filters, sort and paging as in the /alerts URL
import { NextResponse } from 'next/server';
import { parseAlertSearchParams } from '@/lib/alerts/schemas';
import { listAlerts } from '@/lib/alerts/list-alerts';
import { authorizeRequest } from '@/lib/auth/authorize-request';
import { getPool } from '@/lib/db/pool';
import { formatFirstIssue } from '@/lib/format-first-issue';
import { jsonError } from '@/lib/http/responses';

export const dynamic = 'force-dynamic';

export async function GET(request: Request) {
  const auth = await authorizeRequest(request, { permission: 'read' });
  if (!auth.ok) return auth.response;
  const query = parseAlertSearchParams(new URL(request.url).searchParams);
  if (!query.success) return jsonError(400, formatFirstIssue(query.error));
  return NextResponse.json(await listAlerts(getPool(), query.data));
}
