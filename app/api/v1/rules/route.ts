// GET /api/v1/rules – every rule with its settings, alert counts and last run
import { getDb } from '@/lib/db/client';
import { listRuleViews } from '@/lib/rules/read-rules';
import { route } from '../../_lib/route';

export const dynamic = 'force-dynamic';

export const GET = route({ access: { permission: 'read' } }, async () => ({ rules: await listRuleViews(getDb()) }));
