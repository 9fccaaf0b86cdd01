// GET /api/v1/incidents/:id/report?format=markdown|ndjson – the incident as a ticket (Markdown) or every member alert and event (NDJSON)
import { z } from 'zod';
import { AppError } from '@/lib/app-error';
import { getPool } from '@/lib/db/pool';
import { formatIncidentMarkdown, formatIncidentNdjson } from '@/lib/incidents/export-incident';
import { MAX_TIMELINE_LIMIT, readIncident } from '@/lib/incidents/read-incident';
import { route } from '../../../../_lib/route';

export const dynamic = 'force-dynamic';

const params = z.object({ id: z.uuid() });
const query = z.strictObject({ format: z.enum(['markdown', 'ndjson']).default('markdown') });

export const GET = route(
  { access: { permission: 'read' }, params, notFound: 'no such incident', query },
  async ({ params, query }) => {
    const incident = await readIncident(getPool(), params.id, {
      timelineLimit: query.format === 'ndjson' ? MAX_TIMELINE_LIMIT : undefined,
    });
    if (!incident) throw new AppError('not-found', 'no such incident');
    const markdown = query.format === 'markdown';
    return new Response(markdown ? formatIncidentMarkdown(incident) : formatIncidentNdjson(incident), {
      headers: {
        'content-type': markdown ? 'text/markdown; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
        'content-disposition': `attachment; filename="incident-${incident.id}.${markdown ? 'md' : 'ndjson'}"`,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      },
    });
  },
);
