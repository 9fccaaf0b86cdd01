// GET /api/v1/openapi.json – the OpenAPI 3.1 document of every /api/v1 route, read off the handlers.
import { API_ROUTE_MODULES } from '../../_lib/api-routes';
import { buildOpenApiDocument } from '../../_lib/openapi';
import { route } from '../../_lib/route';

export const dynamic = 'force-dynamic';

let document: ReturnType<typeof buildOpenApiDocument> | undefined;

export const GET = route({ access: { permission: 'read' } }, async () => {
  document ??= buildOpenApiDocument({ ...API_ROUTE_MODULES, '/api/v1/openapi.json': { GET } });
  return document;
});
