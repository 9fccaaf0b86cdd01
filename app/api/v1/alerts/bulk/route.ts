// POST /api/v1/alerts/bulk – one triage change for many alerts, chosen by ids or by a queue filter
import { NextResponse } from 'next/server';
import { AlertChangeError, changeAlerts } from '@/lib/alerts/change-alerts';
import { bulkAlertChangeSchema } from '@/lib/alerts/schemas';
import { activityActor } from '@/lib/auth/actor';
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
  const body = bulkAlertChangeSchema.safeParse(json.value);
  if (!body.success) return jsonError(400, formatFirstIssue(body.error));
  const target = body.data.ids ? { ids: body.data.ids } : { filter: body.data.filter! };
  try {
    return NextResponse.json(await changeAlerts(getPool(), target, body.data.change, activityActor(auth.actor)));
  } catch (error) {
    if (error instanceof AlertChangeError) return jsonError(error.status, error.message);
    throw error;
  }
}
