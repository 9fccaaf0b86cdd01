// What every export route reads before streaming: who asks, which format, which rows.
import type { z } from 'zod';
import { authorizeRequest } from '../auth/authorize-request';
import { formatFirstIssue } from '../format-first-issue';
import { jsonError } from '../http/responses';
import { exportFormats, type ExportFormat } from './format-rows';
import { exportHeaders } from './stream-export';

export type ExportRequest<Query> = { ok: true; query: Query; format: ExportFormat } | { ok: false; response: Response };

/** `?format=csv|ndjson` (CSV when absent) and the page's own filter parameters, checked as the page checks them. */
export async function readExportRequest<Query>(
  request: Request,
  parse: (params: URLSearchParams) => z.ZodSafeParseResult<Query>,
): Promise<ExportRequest<Query>> {
  const auth = await authorizeRequest(request, { permission: 'read' });
  if (!auth.ok) return { ok: false, response: auth.response };
  const searchParams = new URL(request.url).searchParams;
  const format = searchParams.get('format')?.trim() || 'csv';
  if (!(exportFormats as readonly string[]).includes(format)) {
    const message = `format: expected one of ${exportFormats.join(', ')}, got ${JSON.stringify(format)}`;
    return { ok: false, response: jsonError(400, message) };
  }
  const query = parse(searchParams);
  if (!query.success) return { ok: false, response: jsonError(400, formatFirstIssue(query.error)) };
  return { ok: true, query: query.data, format: format as ExportFormat };
}

/** The download's headers without running the export (Next would otherwise call GET and drop its body unread). */
export function answerExportHead<Query>(read: ExportRequest<Query>, name: (query: Query) => string): Response {
  if (!read.ok) return new Response(null, { status: read.response.status, headers: read.response.headers });
  return new Response(null, { status: 200, headers: exportHeaders(name(read.query), read.format) });
}
