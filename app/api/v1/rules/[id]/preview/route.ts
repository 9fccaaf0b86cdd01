// POST /api/v1/rules/:id/preview – backtest one rule over a time range without writing alerts
import { NextResponse } from 'next/server';
import { authorizeRequest } from '@/lib/auth/authorize-request';
import { getPool } from '@/lib/db/pool';
import { runDetection } from '@/lib/detections/engine';
import { getRuleDefinition } from '@/lib/detections/registry';
import { jsonError } from '@/lib/http/responses';
import { previewRangeSchema } from '@/lib/rules/schemas';
import { formatFirstIssue } from '@/lib/format-first-issue';
import { readJsonBody } from '@/lib/http/read-json-body';

export const dynamic = 'force-dynamic';

export async function POST(request: Request, context: { params: Promise<{ id: string }> }) {
  const auth = await authorizeRequest(request, { permission: 'triage' });
  if (!auth.ok) return auth.response;
  const { id } = await context.params;
  if (!getRuleDefinition(id)) return jsonError(404, `no rule "${id}"`);
  const json = await readJsonBody(request);
  if (!json.ok) return json.response;
  const body = previewRangeSchema.safeParse(json.value);
  if (!body.success) return jsonError(400, formatFirstIssue(body.error));
  const result = await runDetection(getPool(), {
    from: new Date(body.data.from),
    to: new Date(body.data.to),
    ruleIds: [id],
    dryRun: true,
  });
  const outcome = result.rules[0]!;
  return NextResponse.json({
    rule: id,
    from: result.from,
    to: result.to,
    eventsScanned: outcome.eventsScanned,
    allowlisted: outcome.allowlisted,
    alerts: outcome.alerts.map(({ status: _status, alertId: _alertId, ...alert }) => alert),
  });
}
