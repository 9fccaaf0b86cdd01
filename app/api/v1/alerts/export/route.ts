// GET /api/v1/alerts/export?format=csv|ndjson&<the queue's filter and sort> – every matching alert as a streamed file
import { parseAlertSearchParams } from '@/lib/alerts/schemas';
import { getPool } from '@/lib/db/pool';
import { exportAlerts } from '@/lib/export/alert-export';
import { answerExportHead, readExportRequest } from '@/lib/export/export-request';

export const dynamic = 'force-dynamic';

// Page and page size are read (and checked) as the queue reads them, then ignored: the export is every row.
const readRequest = (request: Request) => readExportRequest(request, parseAlertSearchParams);

export async function GET(request: Request) {
  const read = await readRequest(request);
  if (!read.ok) return read.response;
  return exportAlerts(getPool(), read.query, read.format, { signal: request.signal });
}

export async function HEAD(request: Request) {
  return answerExportHead(await readRequest(request), () => 'alerts');
}
