// GET /api/v1/overview – the Overview page's panels for ?from=&to= (default: the 14 days up to
// the newest stored event), plus rule health, which is not about a range.
import { NextResponse } from 'next/server';
import { authorizeRequest } from '@/lib/auth/authorize-request';
import { getDb } from '@/lib/db/client';
import { getPool } from '@/lib/db/pool';
import { formatFirstIssue } from '@/lib/format-first-issue';
import { jsonError } from '@/lib/http/responses';
import { readOverview, resolveOverviewRange } from '@/lib/overview/read-overview';
import { listRuleHealth } from '@/lib/rules/list-rule-health';
import { parseTimeRangeParams } from '@/lib/time-range';

export const dynamic = 'force-dynamic';

export async function GET(request: Request) {
  const auth = await authorizeRequest(request, { permission: 'read' });
  if (!auth.ok) return auth.response;
  const input = parseTimeRangeParams(new URL(request.url).searchParams);
  if (!input.success) return jsonError(400, formatFirstIssue(input.error));
  const pool = getPool();
  const resolved = await resolveOverviewRange(pool, input.data);
  if (!resolved.ok) return jsonError(400, resolved.error);
  const [overview, ruleHealth] = await Promise.all([readOverview(pool, resolved.range), listRuleHealth(getDb())]);
  return NextResponse.json({ ...overview, ruleHealth });
}
