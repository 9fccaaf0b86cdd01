// POST /api/v1/rules/:id/preview – backtest one rule over a time range without writing alerts
import { z } from 'zod';
import { getPool } from '@/lib/db/pool';
import { getRuleDefinition } from '@/lib/detections/registry';
import { runDetection } from '@/lib/engine/run-detection';
import { previewRangeSchema } from '@/lib/rules/schemas';
import { route } from '../../../../_lib/route';

export const dynamic = 'force-dynamic';

const params = z.object({ id: z.string().refine((id) => getRuleDefinition(id) !== undefined) });

export const POST = route(
  {
    access: { permission: 'triage' },
    params,
    notFound: ({ id }) => `no rule "${String(id)}"`,
    body: previewRangeSchema,
  },
  async ({ params, body }) => {
    const result = await runDetection(getPool(), {
      from: new Date(body.from),
      to: new Date(body.to),
      ruleIds: [params.id],
      dryRun: true,
    });
    const outcome = result.rules[0]!;
    return {
      rule: params.id,
      from: result.from,
      to: result.to,
      eventsScanned: outcome.eventsScanned,
      allowlisted: outcome.allowlisted,
      alerts: outcome.alerts.map(({ status: _status, alertId: _alertId, ...alert }) => alert),
    };
  },
);
