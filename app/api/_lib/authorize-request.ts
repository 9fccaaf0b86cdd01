// Authentication and authorization for route handlers: an API token (Authorization: Bearer)
// or a session cookie; cookie-borne mutations must come from this site (CSRF).
import type { Actor } from '@/lib/auth/actor';
import { verifyApiToken } from '@/lib/auth/api-tokens';
import { readSessionActor } from '@/lib/auth/read-session';
import { leastRoleFor, roleAllows, scopesAllow, type Permission, type TokenScope } from '@/lib/auth/roles';
import { getDb } from '@/lib/db/client';
import { getEnv } from '@/lib/env';
import { jsonError } from './responses';

export type AccessRule = {
  permission: Permission;
  /** false: only API tokens (the audit webhook). */
  sessions?: boolean;
  /** The exact scopes a token must carry (the webhook takes an ingest-only token). */
  tokenScopesExactly?: TokenScope[];
};

export type Authorization = { ok: true; actor: Actor } | { ok: false; response: Response };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export async function authorizeRequest(request: Request, rule: AccessRule): Promise<Authorization> {
  const bearer = readBearerToken(request.headers.get('authorization'));
  if (bearer !== null) return authorizeToken(bearer, rule);
  if (rule.sessions === false) {
    return deny(401, 'this endpoint takes an API token with only the ingest scope: Authorization: Bearer <token>');
  }
  const actor = await readSessionActor(request.headers);
  if (!actor) return deny(401, 'not signed in: sign in, or send an API token (Authorization: Bearer <token>)');
  if (!SAFE_METHODS.has(request.method) && !isSameOrigin(request)) {
    return deny(403, 'cross-site request refused: a change sent with a session cookie must come from Vigil itself');
  }
  if (!roleAllows(actor.role, rule.permission)) {
    return deny(403, `your role (${actor.role}) cannot do this; it needs ${leastRoleFor(rule.permission)} or above`);
  }
  return { ok: true, actor };
}

async function authorizeToken(token: string, rule: AccessRule): Promise<Authorization> {
  const actor = await verifyApiToken(getDb(), token);
  if (!actor || actor.kind !== 'token') return deny(401, 'the API token is unknown, revoked or expired');
  if (rule.tokenScopesExactly) {
    const wanted = [...rule.tokenScopesExactly].sort().join(',');
    if ([...actor.scopes].sort().join(',') !== wanted) {
      return deny(
        403,
        `this endpoint takes a token with exactly the scope(s) ${wanted}; this token has ${actor.scopes.join(', ')}`,
      );
    }
  } else if (!scopesAllow(actor.scopes, rule.permission)) {
    return deny(
      403,
      rule.permission === 'admin'
        ? 'API tokens cannot do this: it needs a signed-in admin'
        : `this token's scopes (${actor.scopes.join(', ')}) do not allow this; it needs the ${rule.permission} scope`,
    );
  }
  return { ok: true, actor };
}

function readBearerToken(header: string | null): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : '';
}

/** Origin (or, failing that, Sec-Fetch-Site) must name this site; a request carrying neither is refused. */
function isSameOrigin(request: Request): boolean {
  const origin = request.headers.get('origin');
  if (origin) {
    const allowed = new Set<string>();
    const host = request.headers.get('host');
    if (host) {
      allowed.add(`http://${host}`);
      allowed.add(`https://${host}`);
    }
    const publicUrl = getEnv().VIGIL_PUBLIC_URL;
    if (publicUrl) allowed.add(new URL(publicUrl).origin);
    return allowed.has(origin);
  }
  return request.headers.get('sec-fetch-site') === 'same-origin';
}

function deny(status: 401 | 403, message: string): Authorization {
  const response = jsonError(status, message);
  if (status === 401) response.headers.set('www-authenticate', 'Bearer realm="vigil"');
  return { ok: false, response };
}
