// GET /api/v1/overview – the Overview page's panels for ?from=&to= (default: the 14 days up to
// the newest stored event), plus rule health, which is not about a range.
import { AppError } from '@/lib/app-error';
import { getDb } from '@/lib/db/client';
import { getPool } from '@/lib/db/pool';
import { readOverview, resolveOverviewRange } from '@/lib/overview/read-overview';
import { listRuleHealth } from '@/lib/rules/list-rule-health';
import { parseTimeRangeParams } from '@/lib/time-range';
import { route } from '../../_lib/route';

export const dynamic = 'force-dynamic';

export const GET = route({ access: { permission: 'read' }, query: parseTimeRangeParams }, async ({ query }) => {
  const pool = getPool();
  const resolved = await resolveOverviewRange(pool, query);
  if (!resolved.ok) throw new AppError('invalid', resolved.error);
  const [overview, ruleHealth] = await Promise.all([readOverview(pool, resolved.range), listRuleHealth(getDb())]);
  return { ...overview, ruleHealth };
});
