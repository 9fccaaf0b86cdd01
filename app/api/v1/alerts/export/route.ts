// GET /api/v1/alerts/export?format=csv|ndjson&<the queue's filter and sort> – every matching alert as a streamed file
import { parseAlertSearchParams } from '@/lib/alerts/schemas';
import { alertExportQuery } from '@/lib/export/alert-export';
import { exportRoute } from '../../../_lib/export-route';

export const dynamic = 'force-dynamic';

// Page and page size are read (and checked) as the queue reads them, then ignored: the export is every row.
export const { GET, HEAD } = exportRoute(parseAlertSearchParams, alertExportQuery);
