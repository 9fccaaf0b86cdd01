// GET /api/v1/entities/ips/:ip?from&to – what came from a source IP
import { entityRoute } from '../../_lib/entity-route';

export const dynamic = 'force-dynamic';

export const GET = entityRoute(({ ip }) => ({ kind: 'ip', ip }));
