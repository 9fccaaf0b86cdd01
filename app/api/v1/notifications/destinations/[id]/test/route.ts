// POST /api/v1/notifications/destinations/:id/test – send a sample alert now; the answer as it came (admin)
import { z } from 'zod';
import { getPool } from '@/lib/db/pool';
import { deliverOptionsFromEnv } from '@/lib/notifications/deliver-job';
import { sendTestNotification } from '@/lib/notifications/send-test';
import { route } from '../../../../../_lib/route';

export const dynamic = 'force-dynamic';

const params = z.object({ id: z.uuid() });

export const POST = route(
  { access: { permission: 'admin' }, params, notFound: 'no such destination' },
  async ({ params }) => {
    const outcome = await sendTestNotification(getPool(), params.id, deliverOptionsFromEnv());
    return {
      deliveryId: outcome.deliveryId,
      ok: outcome.ok,
      statusCode: outcome.statusCode,
      bodyExcerpt: outcome.excerpt,
      error: outcome.error,
      latencyMs: outcome.latencyMs,
    };
  },
);
