// GET /api/v1/events – the events explorer: filters, time range, order and cursor as in the /events URL
import { getPool } from '@/lib/db/pool';
import { parseEventSearchParams } from '@/lib/events/schemas';
import { searchEvents } from '@/lib/events/search-events';
import { route } from '../../_lib/route';

export const dynamic = 'force-dynamic';

export const GET = route({ access: { permission: 'read' }, query: parseEventSearchParams }, ({ query }) =>
  searchEvents(getPool(), query),
);
