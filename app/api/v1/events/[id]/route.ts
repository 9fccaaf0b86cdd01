// GET /api/v1/events/:id?kind=audit|file – one event, its original document and the events around it
import { z } from 'zod';
import { AppError } from '@/lib/app-error';
import { getPool } from '@/lib/db/pool';
import { readEvent } from '@/lib/events/read-event';
import { eventIdSchema, eventKinds } from '@/lib/events/schemas';
import { route } from '../../../_lib/route';

export const dynamic = 'force-dynamic';

export const GET = route(
  {
    access: { permission: 'read' },
    params: z.object({ id: eventIdSchema }),
    query: z.object({ kind: z.enum(eventKinds).default('audit') }),
  },
  async ({ params, query }) => {
    const detail = await readEvent(getPool(), query.kind, params.id);
    if (!detail) throw new AppError('not-found', `no ${query.kind} event ${params.id}`);
    return detail;
  },
);
