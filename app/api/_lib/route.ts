// The one shape of a route handler: who may call it, what it takes (path, query, JSON body: zod),
// the verb, and application errors mapped to HTTP in one place. A handler returns data (sent as
// JSON) or a Response of its own.
import { NextResponse } from 'next/server';
import type { z } from 'zod';
import { AppError } from '@/lib/app-error';
import type { Actor } from '@/lib/auth/actor';
import { formatFirstIssue } from '@/lib/format-first-issue';
import { NUL_MESSAGE } from '@/lib/search-params';
import { authorizeRequest, type AccessRule } from './authorize-request';
import { DEFAULT_JSON_BODY_BYTES, readJsonBody } from './read-json-body';
import { APP_ERROR_STATUS, jsonError } from './responses';

type Parsed<T> = { success: true; data: T } | { success: false; error: z.ZodError };
type Parser<T> = { safeParse(input: unknown): Parsed<T> } | ((input: URLSearchParams) => Parsed<T>);

export type RouteInput<Params, Query, Body> = {
  request: Request;
  actor: Actor;
  params: Params;
  query: Query;
  body: Body;
};

export type RouteOptions<Params, Query, Body> = {
  access: AccessRule;
  /** The path's dynamic segments (as Next decodes them). */
  params?: { safeParse(input: unknown): Parsed<Params> };
  /** Answer for path segments the schema refuses: 404 with this message (an id that cannot exist), else 400. */
  notFound?: string | ((params: Record<string, unknown>) => string);
  /** The search parameters: a zod object over their entries, or a parser of URLSearchParams. */
  query?: Parser<Query>;
  /** A JSON body, read with a size cap. */
  body?: { safeParse(input: unknown): Parsed<Body> };
  maxBodyBytes?: number;
};

type Context = { params?: Promise<Record<string, string | string[] | undefined>> };

function parse<T>(parser: Parser<T>, params: URLSearchParams): Parsed<T> {
  return typeof parser === 'function' ? parser(params) : parser.safeParse(Object.fromEntries(params));
}

/** The first text holding NUL in a decoded request value, by its path; PostgreSQL can store none. */
function findNul(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\0') ? path : null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findNul(item, `${path}[${index}]`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = findNul(key, path) ?? findNul(item, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return null;
}

const refuseNul = (where: string) => jsonError(400, `${where || 'a value'}: ${NUL_MESSAGE}`);

/** Maps an application error to its answer; anything else is rethrown (a 500 with the details in the log). */
export function answerError(error: unknown): Response {
  if (!(error instanceof AppError)) throw error;
  return jsonError(APP_ERROR_STATUS[error.code], error.message);
}

/** What a route takes and who may call it, kept on its handler: the OpenAPI document is read off it. */
export type RouteContract = Pick<RouteOptions<unknown, unknown, unknown>, 'access' | 'params' | 'query' | 'body'>;

export type RouteHandler = ((request: Request, context?: Context) => Promise<Response>) & { contract: RouteContract };

export function route<Params = undefined, Query = undefined, Body = undefined>(
  options: RouteOptions<Params, Query, Body>,
  handler: (input: RouteInput<Params, Query, Body>) => Promise<unknown>,
): RouteHandler {
  const contract: RouteContract = {
    access: options.access,
    params: options.params,
    query: options.query,
    body: options.body,
  };
  const handle = async (request: Request, context: Context = {}): Promise<Response> => {
    const auth = await authorizeRequest(request, options.access);
    if (!auth.ok) return auth.response;
    let params = undefined as Params;
    if (options.params) {
      const raw = (await context.params) ?? {};
      const nul = findNul(raw, '');
      if (nul !== null) return refuseNul(nul);
      const parsed = options.params.safeParse(raw);
      if (!parsed.success) {
        const { notFound } = options;
        if (notFound === undefined) return jsonError(400, formatFirstIssue(parsed.error));
        return jsonError(404, typeof notFound === 'string' ? notFound : notFound(raw));
      }
      params = parsed.data;
    }
    let query = undefined as Query;
    if (options.query) {
      const searchParams = new URL(request.url).searchParams;
      const nul = findNul(Object.fromEntries(searchParams), '');
      if (nul !== null) return refuseNul(nul);
      const parsed = parse(options.query, searchParams);
      if (!parsed.success) return jsonError(400, formatFirstIssue(parsed.error));
      query = parsed.data;
    }
    let body = undefined as Body;
    if (options.body) {
      const json = await readJsonBody(request, options.maxBodyBytes ?? DEFAULT_JSON_BODY_BYTES);
      if (!json.ok) return json.response;
      const nul = findNul(json.value, '');
      if (nul !== null) return refuseNul(nul);
      const parsed = options.body.safeParse(json.value);
      if (!parsed.success) return jsonError(400, formatFirstIssue(parsed.error));
      body = parsed.data;
    }
    try {
      const result = await handler({ request, actor: auth.actor, params, query, body });
      return result instanceof Response ? result : NextResponse.json(result);
    } catch (error) {
      return answerError(error);
    }
  };
  return Object.assign(handle, { contract });
}
