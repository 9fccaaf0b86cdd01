// An export route: `?format=csv|ndjson` (CSV when absent) plus the page's own filter parameters,
// checked as the page checks them, then every matching row streamed. HEAD answers the download's
// headers without running the query (Next would call GET and drop its body unread).
import { z } from 'zod';
import { getPool } from '@/lib/db/pool';
import { exportFormats, type ExportFormat, type ExportQuery } from '@/lib/export/format-rows';
import { route } from './route';
import { exportHeaders, streamExport } from './stream-export';

type Parsed<T> = { success: true; data: T } | { success: false; error: z.ZodError };

const formatSchema = z.string().refine((format) => (exportFormats as readonly string[]).includes(format), {
  error: (issue) => `expected one of ${exportFormats.join(', ')}, got ${JSON.stringify(issue.input)}`,
  path: ['format'],
});

export function exportRoute<Query, Raw, Row>(
  parse: (params: URLSearchParams) => Parsed<Query>,
  build: (query: Query) => ExportQuery<Raw, Row>,
) {
  const readParams = (params: URLSearchParams): Parsed<{ format: ExportFormat; query: Query }> => {
    const format = formatSchema.safeParse(params.get('format')?.trim() || 'csv');
    if (!format.success) return format;
    const query = parse(params);
    return query.success ? { success: true, data: { format: format.data as ExportFormat, query: query.data } } : query;
  };
  const access = { permission: 'read' } as const;
  return {
    GET: route({ access, query: readParams }, async ({ request, query }) =>
      streamExport({ pool: getPool(), ...build(query.query), format: query.format, signal: request.signal }),
    ),
    HEAD: route(
      { access, query: readParams },
      async ({ query }) =>
        new Response(null, { status: 200, headers: exportHeaders(build(query.query).name, query.format) }),
    ),
  };
}
