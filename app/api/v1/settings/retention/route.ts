// GET|PUT /api/v1/settings/retention – how long raw events are kept, what they take, what the next run drops;
// a change that makes stored events due for dropping answers 409 unless it says `confirm: true`
import { actorName, actorUserId } from '@/lib/auth/actor';
import { getPool } from '@/lib/db/pool';
import { getEnv } from '@/lib/env';
import { changeRetention } from '@/lib/storage/change-retention';
import { readDataOverview } from '@/lib/storage/read-data-overview';
import { retentionChangeSchema } from '@/lib/storage/schemas';
import { route } from '../../../_lib/route';

export const dynamic = 'force-dynamic';

export const GET = route({ access: { permission: 'admin' } }, () =>
  readDataOverview(getPool(), getEnv().VIGIL_RETENTION_DAYS),
);

export const PUT = route({ access: { permission: 'admin' }, body: retentionChangeSchema }, async ({ body, actor }) => {
  const impact = await changeRetention(
    getPool(),
    body,
    { id: actorUserId(actor), name: actorName(actor) },
    getEnv().VIGIL_RETENTION_DAYS,
  );
  return { scope: body.scope, days: body.days, dropsAtNextRun: impact };
});
