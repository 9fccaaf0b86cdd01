// GET /api/v1/alerts/:id – one alert with its history; PATCH – status, close reason, assignee or a note
import { NextResponse } from 'next/server';
import { AlertChangeError, changeAlert } from '@/lib/alerts/change-alerts';
import { listAlertActivity, readAlert } from '@/lib/alerts/read-alert';
import { alertChangeSchema } from '@/lib/alerts/schemas';
import { activityActor } from '@/lib/auth/actor';
import { authorizeRequest } from '@/lib/auth/authorize-request';
import { getPool } from '@/lib/db/pool';
import { formatFirstIssue } from '@/lib/format-first-issue';
import { readJsonBody } from '@/lib/http/read-json-body';
import { jsonError } from '@/lib/http/responses';
import { z } from 'zod';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

async function readAlertWithHistory(id: string) {
  const pool = getPool();
  const alert = await readAlert(pool, id);
  return alert && { ...alert, history: await listAlertActivity(pool, id) };
}

export async function GET(request: Request, context: Context) {
  const auth = await authorizeRequest(request, { permission: 'read' });
  if (!auth.ok) return auth.response;
  const { id } = await context.params;
  const alert = z.uuid().safeParse(id).success ? await readAlertWithHistory(id) : null;
  return alert ? NextResponse.json(alert) : jsonError(404, 'no such alert');
}

export async function PATCH(request: Request, context: Context) {
  const auth = await authorizeRequest(request, { permission: 'triage' });
  if (!auth.ok) return auth.response;
  const { id } = await context.params;
  if (!z.uuid().safeParse(id).success) return jsonError(404, 'no such alert');
  const json = await readJsonBody(request);
  if (!json.ok) return json.response;
  const change = alertChangeSchema.safeParse(json.value);
  if (!change.success) return jsonError(400, formatFirstIssue(change.error));
  try {
    const result = await changeAlert(getPool(), id, change.data, activityActor(auth.actor));
    return NextResponse.json({ changed: result.changed > 0, alert: await readAlertWithHistory(id) });
  } catch (error) {
    if (error instanceof AlertChangeError) return jsonError(error.status, error.message);
    throw error;
  }
}
