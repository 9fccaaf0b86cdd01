// GET /api/v1/entities/users/:name?from&to – what a user or service account did
import { entityRoute } from '../../_lib/entity-route';

export const dynamic = 'force-dynamic';

export const GET = entityRoute(({ name }) => ({ kind: 'user', name }));
