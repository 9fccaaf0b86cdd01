// GET /api/v1/events/export?format=csv|ndjson&<the explorer's filters> – every matching event as a streamed file
import { getPool } from '@/lib/db/pool';
import { parseEventSearchParams } from '@/lib/events/schemas';
import { exportEvents, eventExportName } from '@/lib/export/event-export';
import { answerExportHead, readExportRequest } from '@/lib/export/export-request';

export const dynamic = 'force-dynamic';

// The cursor and page size are read (and checked) as the explorer reads them, then ignored: the export is every row.
const readRequest = (request: Request) => readExportRequest(request, parseEventSearchParams);

export async function GET(request: Request) {
  const read = await readRequest(request);
  if (!read.ok) return read.response;
  return exportEvents(getPool(), read.query, read.format, { signal: request.signal });
}

export async function HEAD(request: Request) {
  return answerExportHead(await readRequest(request), eventExportName);
}
