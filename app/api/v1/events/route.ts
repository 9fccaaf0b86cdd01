// GET /api/v1/events – the events explorer: filters, time range, order and cursor as in the /events URL
import { NextResponse } from 'next/server';
import { authorizeRequest } from '@/lib/auth/authorize-request';
import { getPool } from '@/lib/db/pool';
import { parseEventSearchParams } from '@/lib/events/schemas';
import { searchEvents } from '@/lib/events/search-events';
import { formatFirstIssue } from '@/lib/format-first-issue';
import { jsonError } from '@/lib/http/responses';

export const dynamic = 'force-dynamic';

export async function GET(request: Request) {
  const auth = await authorizeRequest(request, { permission: 'read' });
  if (!auth.ok) return auth.response;
  const query = parseEventSearchParams(new URL(request.url).searchParams);
  if (!query.success) return jsonError(400, formatFirstIssue(query.error));
  return NextResponse.json(await searchEvents(getPool(), query.data));
}
