// The OpenAPI document against the route files on disk and the handlers themselves: every /api/v1
// route and method is in it, with the parameters and body its handler checks, and nothing else is.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { API_ROUTE_MODULES } from '../../app/api/_lib/api-routes';
import { HTTP_METHODS, isRouteHandler } from '../../app/api/_lib/openapi';
import { GET as getOpenApi } from '../../app/api/v1/openapi.json/route';
import { getDb } from '../../lib/db/client';
import { getPool } from '../../lib/db/pool';
import { bearer, createTestToken } from '../support/credentials';

const API_ROOT = path.join(import.meta.dirname, '../../app/api/v1');
const token = await createTestToken(['read']);
afterAll(async () => {
  await getPool().end();
  await getDb().$disconnect();
});

type Operation = {
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> };
  security: Record<string, unknown>[];
  description: string;
};
type Document = { openapi: string; paths: Record<string, Record<string, Operation>> };

/** `alerts/[id]/route.ts` → `/api/v1/alerts/{id}`, for every route file under app/api/v1. */
function routeFilesOnDisk(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name));
      else if (entry.name === 'route.ts')
        found.push(
          `/api/v1/${path
            .relative(API_ROOT, dir)
            .split(path.sep)
            .map((segment) => segment.replace(/^\[(.+)\]$/, '{$1}'))
            .join('/')}`,
        );
    }
  };
  walk(API_ROOT);
  return found.sort();
}

async function fetchDocument(): Promise<Document> {
  const response = await getOpenApi(new Request('http://vigil.test/api/v1/openapi.json', { headers: bearer(token) }));
  expect(response.status).toBe(200);
  return (await response.json()) as Document;
}

describe('GET /api/v1/openapi.json', () => {
  it('needs a session or a token', async () => {
    const response = await getOpenApi(new Request('http://vigil.test/api/v1/openapi.json'));
    expect(response.status).toBe(401);
  });

  it('lists every route file and every method it exports, and nothing else', async () => {
    const document = await fetchDocument();
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths).sort()).toEqual(routeFilesOnDisk());
    const modules: Record<string, Record<string, unknown>> = {
      ...API_ROUTE_MODULES,
      '/api/v1/openapi.json': { GET: getOpenApi },
    };
    for (const [routePath, module] of Object.entries(modules)) {
      const exported = HTTP_METHODS.filter((method) => method in module);
      for (const method of exported) expect(isRouteHandler(module[method]), `${method} ${routePath}`).toBe(true);
      expect(Object.keys(document.paths[routePath] ?? {}).sort(), routePath).toEqual(
        exported.map((method) => method.toLowerCase()).sort(),
      );
    }
  });

  it('names the path, query and body parameters the handlers check', async () => {
    const { paths } = await fetchDocument();
    const names = (operation: Operation, where: string) =>
      (operation.parameters ?? []).filter((parameter) => parameter.in === where).map((parameter) => parameter.name);
    expect(names(paths['/api/v1/alerts/{id}']!.get!, 'path')).toEqual(['id']);
    // A parser function (the queue's URL) is read off what it asks for.
    expect(names(paths['/api/v1/alerts']!.get!, 'query')).toEqual(
      expect.arrayContaining(['status', 'severity', 'rule', 'user', 'sourceIp', 'from', 'to', 'sort', 'page']),
    );
    // A zod object's own properties, with its required ones.
    const upload = paths['/api/v1/uploads']!.post!;
    expect(names(upload, 'query')).toEqual(expect.arrayContaining(['format', 'cluster', 'fileName']));
    const bulk = paths['/api/v1/alerts/bulk']!.post!;
    expect(Object.keys(bulk.requestBody!.content['application/json']!.schema.properties ?? {})).toEqual(
      expect.arrayContaining(['ids', 'filter', 'change']),
    );
    expect(bulk.description).toContain('`triage`');
    // The webhook takes only an ingest token, never a session.
    expect(paths['/api/v1/audit-webhook/{cluster}']!.post!.security).toEqual([{ bearerToken: [] }]);
  });
});
