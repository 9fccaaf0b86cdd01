// GET /api/v1/events/export?format=csv|ndjson&<the explorer's filters> – every matching event as a streamed file
import { parseEventSearchParams } from '@/lib/events/schemas';
import { eventExportQuery } from '@/lib/export/event-export';
import { exportRoute } from '../../../_lib/export-route';

export const dynamic = 'force-dynamic';

// The cursor and page size are read (and checked) as the explorer reads them, then ignored: the export is every row.
export const { GET, HEAD } = exportRoute(parseEventSearchParams, eventExportQuery);
