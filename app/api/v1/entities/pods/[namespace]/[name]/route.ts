// GET /api/v1/entities/pods/:namespace/:name?from&to – what a pod's token did, and its file activity
import { entityRoute } from '../../../_lib/entity-route';

export const dynamic = 'force-dynamic';

export const GET = entityRoute(({ namespace, name }) => ({ kind: 'pod', namespace, name }));
