// The OpenAPI 3.1 document, read off the route handlers themselves: each handler made by route()
// carries its contract (access, path, query and body schemas), so the document cannot drift from
// what the routes accept.
import { z } from 'zod';
import type { RouteContract, RouteHandler } from './route';

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

type JsonSchema = Record<string, unknown>;
type Parameter = { name: string; in: 'path' | 'query'; required: boolean; schema: JsonSchema };

/** A route module's exports: the handlers by method, besides Next's settings (`dynamic`). */
export type RouteModule = Record<string, unknown>;

const ERROR_RESPONSE = {
  description: 'Refused: the message says why (400 bad input, 401 not signed in, 403 not allowed, 404, 409, 413)',
  content: {
    'application/json': {
      schema: { type: 'object', properties: { error: { type: 'string' } }, required: ['error'] },
    },
  },
};

function isZodObject(value: unknown): value is z.ZodObject {
  return value instanceof z.ZodObject;
}

function toSchema(schema: unknown): JsonSchema {
  if (!(schema instanceof z.ZodType)) return {};
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return rest as JsonSchema;
}

/**
 * The query parameters a route reads. A zod object names them; a parser function (pages' URLs map
 * onto nested filters) is run once over a URLSearchParams that records every name it asks for.
 */
function queryParameters(query: RouteContract['query']): Parameter[] {
  if (!query) return [];
  if (isZodObject(query)) {
    const schema = toSchema(query) as { properties?: Record<string, JsonSchema>; required?: string[] };
    return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
      name,
      in: 'query',
      required: schema.required?.includes(name) ?? false,
      schema: property,
    }));
  }
  if (typeof query !== 'function') return [];
  const asked = new Set<string>();
  class RecordingParams extends URLSearchParams {
    override get(name: string) {
      asked.add(name);
      return super.get(name);
    }
    override getAll(name: string) {
      asked.add(name);
      return super.getAll(name);
    }
    override has(name: string) {
      asked.add(name);
      return super.has(name);
    }
  }
  query(new RecordingParams());
  return [...asked].map((name) => ({ name, in: 'query', required: false, schema: { type: 'string' } }));
}

/** The path's segments, typed by the route's params schema where it has one. */
function pathParameters(path: string, params: RouteContract['params']): Parameter[] {
  const typed = isZodObject(params)
    ? ((toSchema(params) as { properties?: Record<string, JsonSchema> }).properties ?? {})
    : {};
  return [...path.matchAll(/\{([^}]+)\}/g)].map((match) => ({
    name: match[1]!,
    in: 'path',
    required: true,
    schema: typed[match[1]!] ?? { type: 'string' },
  }));
}

function describeAccess(access: RouteContract['access']): string {
  const who =
    access.sessions === false
      ? `an API token with exactly the scopes ${(access.tokenScopesExactly ?? [access.permission]).join(', ')}`
      : `a session whose role grants \`${access.permission}\`, or an API token with the \`${access.permission}\` scope`;
  return `Needs ${who}.`;
}

function operation(path: string, method: string, contract: RouteContract) {
  const parameters = [...pathParameters(path, contract.params), ...queryParameters(contract.query)];
  return {
    operationId: `${method.toLowerCase()}${path.replace(/[{}]/g, '').replace(/(^|[/-])(\w)/g, (_, _sep, c: string) => c.toUpperCase())}`,
    description: describeAccess(contract.access),
    security: contract.access.sessions === false ? [{ bearerToken: [] }] : [{ bearerToken: [] }, { sessionCookie: [] }],
    ...(parameters.length ? { parameters } : {}),
    ...(contract.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(contract.body) } } } }
      : {}),
    responses: { '200': { description: 'Done: the JSON answer (or the file, for exports)' }, '4XX': ERROR_RESPONSE },
  };
}

export function isRouteHandler(value: unknown): value is RouteHandler {
  return typeof value === 'function' && 'contract' in value;
}

/** The document for route modules keyed by their OpenAPI path (`/api/v1/alerts/{id}`). */
export function buildOpenApiDocument(modules: Record<string, RouteModule>) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, module] of Object.entries(modules).sort(([left], [right]) => left.localeCompare(right))) {
    for (const method of HTTP_METHODS) {
      const handler = module[method];
      if (!isRouteHandler(handler)) continue;
      (paths[path] ??= {})[method.toLowerCase()] = operation(path, method, handler.contract);
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Vigil API',
      version: '1',
      description:
        'Kubernetes audit-log ingest, secret-access detections and triage. Every route needs a signed-in session or an API token (`npx vigil token create`); see the README.',
    },
    components: {
      securitySchemes: {
        bearerToken: { type: 'http', scheme: 'bearer', description: 'An API token: Authorization: Bearer vigil_…' },
        sessionCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: '__Secure-vigil.session_token',
          description: "The console's session (named vigil.session_token when VIGIL_PUBLIC_URL is http://)",
        },
      },
    },
    paths,
  };
}
