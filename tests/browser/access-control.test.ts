// Every route handler, page and server action of the built app, asked over HTTP by nobody, by each
// role and by tokens of each scope. The lists come from the source tree and the build's action
// manifest, so a new route without a declared rule fails here.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApiToken } from '../../lib/auth/api-tokens';
import { roleAllows, roles, scopesAllow, type Permission, type Role, type TokenScope } from '../../lib/auth/roles';
import { createDb, type Db } from '../../lib/db/client';
import { cookieHeader, postSignIn } from '../support/accounts';
import { nativeEvent, ndjson } from '../support/audit-events';

const root = path.join(import.meta.dirname, '../..');
const baseUrl = inject('baseUrl');
const sessions = inject('sessionCookies');
let db: Db;

type Access = Permission | 'public' | 'ingest-token-only';

/** The declared rule of every route handler: the test fails when a handler is missing here. */
const routeAccess: Record<string, Access> = {
  'GET /api/health': 'public',
  'GET /api/auth/[...all]': 'public',
  'POST /api/auth/[...all]': 'public',
  'GET /api/v1/uploads': 'read',
  'POST /api/v1/uploads': 'ingest',
  'GET /api/v1/uploads/[batchId]': 'read',
  'PATCH /api/v1/rules/[id]': 'admin',
  'GET /api/v1/settings/retention': 'admin',
  'PUT /api/v1/settings/retention': 'admin',
  'POST /api/v1/rules/[id]/preview': 'triage',
  'POST /api/v1/audit-webhook': 'ingest-token-only',
  'POST /api/v1/audit-webhook/[cluster]': 'ingest-token-only',
  'GET /api/v1/alerts': 'read',
  'GET /api/v1/alerts/[id]': 'read',
  'PATCH /api/v1/alerts/[id]': 'triage',
  'POST /api/v1/alerts/bulk': 'triage',
  'GET /api/v1/allowlist': 'read',
  'POST /api/v1/allowlist': 'triage',
  'POST /api/v1/allowlist/preview': 'triage',
  'PATCH /api/v1/allowlist/[id]': 'triage',
  'DELETE /api/v1/allowlist/[id]': 'triage',
  'GET /api/v1/alerts/export': 'read',
  'GET /api/v1/events': 'read',
  'GET /api/v1/events/[id]': 'read',
  'GET /api/v1/events/export': 'read',
  'GET /api/v1/overview': 'read',
  'GET /api/v1/rules': 'read',
  'GET /api/v1/rules/[id]': 'read',
  'GET /api/v1/entities/users/[name]': 'read',
  'GET /api/v1/entities/ips/[ip]': 'read',
  'GET /api/v1/entities/pods/[namespace]/[name]': 'read',
  'GET /api/v1/openapi.json': 'read',
  'GET /api/v1/notifications/destinations': 'admin',
  'POST /api/v1/notifications/destinations': 'admin',
  'PATCH /api/v1/notifications/destinations/[id]': 'admin',
  'DELETE /api/v1/notifications/destinations/[id]': 'admin',
  'POST /api/v1/notifications/destinations/[id]/test': 'admin',
  'GET /api/v1/notifications/routes': 'admin',
  'POST /api/v1/notifications/routes': 'admin',
  'PATCH /api/v1/notifications/routes/[id]': 'admin',
  'DELETE /api/v1/notifications/routes/[id]': 'admin',
  'GET /api/v1/notifications/routes/[id]/preview': 'admin',
  'GET /api/v1/notifications/deliveries': 'read',
  'POST /api/v1/notifications/deliveries/[id]/resend': 'admin',
  'GET /api/v1/incidents': 'read',
  'PATCH /api/v1/incidents': 'triage',
  'GET /api/v1/incidents/[id]': 'read',
  'PATCH /api/v1/incidents/[id]': 'triage',
  'GET /api/v1/incidents/[id]/report': 'read',
  'GET /api/v1/views': 'read',
  'POST /api/v1/views': 'read',
  'PATCH /api/v1/views/[id]': 'read',
  'DELETE /api/v1/views/[id]': 'read',
};

const pageAccess: Record<string, Permission | 'public'> = {
  '/': 'read',
  '/alerts': 'read',
  '/alerts/[id]': 'read',
  '/events': 'read',
  '/entities/users/[name]': 'read',
  '/entities/ips/[ip]': 'read',
  '/entities/pods/[namespace]/[name]': 'read',
  '/rules': 'read',
  '/allowlist': 'read',
  '/uploads': 'read',
  '/jobs': 'read',
  '/settings/users': 'admin',
  '/settings/tokens': 'admin',
  '/settings/data': 'admin',
  '/notifications': 'read',
  '/settings/notifications': 'admin',
  '/sign-in': 'public',
  '/setup': 'public',
  '/incidents': 'read',
  '/incidents/[id]': 'read',
};

const actionAccess: Record<string, Permission | 'setup-token'> = {
  'app/(console)/rules/actions.ts#saveRuleSettings': 'admin',
  'app/(console)/rules/actions.ts#previewRuleAction': 'triage',
  'app/(console)/settings/users/actions.ts#createUserAction': 'admin',
  'app/(console)/settings/users/actions.ts#changeUserAction': 'admin',
  'app/(console)/settings/tokens/actions.ts#createTokenAction': 'admin',
  'app/(console)/settings/data/actions.ts#saveRetentionAction': 'admin',
  'app/(console)/settings/tokens/actions.ts#revokeTokenAction': 'admin',
  'app/setup/actions.ts#createFirstAdminAction': 'setup-token',
  'app/(console)/alerts/actions.ts#changeAlertsAction': 'triage',
  'app/(console)/alerts/actions.ts#changeAlertAction': 'triage',
  'app/(console)/alerts/actions.ts#changeAlertGroupsAction': 'triage',
  // Saved views: every role keeps its own (lib/saved-views checks who may change which).
  'app/(console)/views/actions.ts#saveViewAction': 'read',
  'app/(console)/views/actions.ts#updateViewAction': 'read',
  'app/(console)/views/actions.ts#deleteViewAction': 'read',
  'app/(console)/alerts/actions.ts#previewAllowlistAction': 'triage',
  'app/(console)/alerts/actions.ts#closeAsFalsePositiveAction': 'triage',
  'app/(console)/allowlist/actions.ts#createAllowlistEntryAction': 'triage',
  'app/(console)/allowlist/actions.ts#updateAllowlistEntryAction': 'triage',
  'app/(console)/allowlist/actions.ts#deleteAllowlistEntryAction': 'triage',
  'app/(console)/incidents/actions.ts#changeIncidentAction': 'triage',
  'app/(console)/incidents/actions.ts#changeIncidentsAction': 'triage',
};

function walk(dir: string, name: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return walk(full, name);
    return entry.name === name ? [full] : [];
  });
}

/** app/(console)/rules/page.tsx → /rules; route groups vanish from URLs. */
function urlPattern(file: string) {
  const dir = path.dirname(path.relative(path.join(root, 'app'), file));
  const segments = dir === '.' ? [] : dir.split(path.sep).filter((segment) => !/^\(.*\)$/.test(segment));
  return `/${segments.join('/')}`;
}

function discoverRoutes() {
  return walk(path.join(root, 'app'), 'route.ts').flatMap((file) => {
    const source = readFileSync(file, 'utf8');
    const methods = [
      ...[...source.matchAll(/export (?:async function|const) (GET|POST|PUT|PATCH|DELETE)\b/g)].map(
        (match) => match[1]!,
      ),
      // `export const { GET, HEAD } = exportRoute(…)`
      ...[...source.matchAll(/export const \{([^}]+)\}/g)].flatMap((match) =>
        match[1]!
          .split(',')
          .map((name) => name.trim())
          .filter((name) => /^(GET|POST|PUT|PATCH|DELETE)$/.test(name)),
      ),
    ];
    return methods.map((method) => `${method} ${urlPattern(file)}`);
  });
}

const sampleParams: Record<string, string> = {
  '[batchId]': randomUUID(),
  '[id]': 'rapid-secret-get-multiple-objects',
  '[cluster]': 'access-test',
  '[name]': 'access-control',
  '[ip]': '10.0.0.1',
  '[namespace]': 'default',
};

function requestFor(route: string, headers: Record<string, string>): [string, RequestInit] {
  const [method, pattern] = route.split(' ') as [string, string];
  const url = baseUrl + pattern.replace(/\[[^\]]+\]/g, (param) => sampleParams[param] ?? 'x');
  const body: Record<string, string> = {
    'POST /api/v1/uploads': ndjson([nativeEvent()]),
    'PATCH /api/v1/rules/[id]': JSON.stringify({ enabled: true }),
    'PUT /api/v1/settings/retention': JSON.stringify({ scope: 'access-test', days: null }),
    'POST /api/v1/rules/[id]/preview': JSON.stringify({ from: '2026-01-01T00:00:00Z', to: '2026-01-01T01:00:00Z' }),
    'POST /api/v1/audit-webhook': JSON.stringify({ kind: 'EventList', items: [nativeEvent()] }),
    'POST /api/v1/audit-webhook/[cluster]': JSON.stringify({ kind: 'EventList', items: [nativeEvent()] }),
  };
  const query = route === 'POST /api/v1/audit-webhook' ? '?cluster=access-test' : '';
  return [url + query, { method, headers: { origin: baseUrl, ...headers }, body: body[route], redirect: 'manual' }];
}

const guardedRoutes = () => Object.entries(routeAccess).filter(([, access]) => access !== 'public');

function expectedForRole(access: Access, role: Role): 'allowed' | 401 | 403 {
  if (access === 'public') return 'allowed';
  if (access === 'ingest-token-only') return 401;
  return roleAllows(role, access) ? 'allowed' : 403;
}

function expectedForScopes(access: Access, scopes: TokenScope[]): 'allowed' | 403 {
  if (access === 'public') return 'allowed';
  if (access === 'ingest-token-only') return scopes.length === 1 && scopes[0] === 'ingest' ? 'allowed' : 403;
  return scopesAllow(scopes, access) ? 'allowed' : 403;
}

function verdict(status: number): 'allowed' | number {
  return status === 401 || status === 403 ? status : 'allowed';
}

let alertId: string;
let incidentId: string;

/** A page's URL with its dynamic segments filled: /alerts/[id] opens a real alert, /incidents/[id] an incident. */
const pageUrl = (page: string) =>
  page
    .replace('[id]', page.startsWith('/incidents/') ? incidentId : alertId)
    .replace(/\[[^\]]+\]/g, (param) => sampleParams[param] ?? 'x');

beforeAll(async () => {
  db = createDb(inject('databaseUrl'), 2);
  incidentId = (await db.incident.create({ data: { title: 'access-control', severity: 'high' } })).id;
  const now = new Date();
  const alert = await db.alert.create({
    data: {
      ruleId: 'rapid-secret-get-multiple-objects',
      identity: `access-control-${randomUUID()}`,
      groupKey: '["access-control"]',
      windowStart: now,
      windowEnd: now,
      severity: 'high',
      riskScore: 73,
      firstEventAt: now,
      lastEventAt: now,
      eventCount: 0,
      username: 'access-control@vigil.test',
    },
  });
  alertId = alert.id;
});
afterAll(async () => {
  await db.$disconnect();
});

describe('route handlers', () => {
  it('declares an access rule for every route handler in app/', () => {
    expect(discoverRoutes().sort()).toEqual(Object.keys(routeAccess).sort());
  });

  it('answers 401 to every guarded route without credentials, and says how to authenticate', async () => {
    for (const [route] of guardedRoutes()) {
      const response = await fetch(...requestFor(route, {}));
      expect(response.status, route).toBe(401);
      expect(((await response.json()) as { error: string }).error, route).toMatch(/sign in|API token/);
    }
  });

  it.each(roles)('gives the %s role exactly what its permissions allow', async (role) => {
    for (const [route, access] of guardedRoutes()) {
      const response = await fetch(...requestFor(route, { cookie: cookieHeader(sessions[role]) }));
      expect(verdict(response.status), `${role}: ${route} (${response.status})`).toBe(expectedForRole(access, role));
    }
  });

  it.each([[['ingest']], [['read']], [['triage']], [['ingest', 'read']]] as TokenScope[][][])(
    'gives a token with scopes %j exactly what they allow (the webhook: ingest-only tokens)',
    async (scopes) => {
      const { token } = await createApiToken(db, { name: `scopes ${scopes.join('+')}`, scopes }, null);
      for (const [route, access] of guardedRoutes()) {
        const response = await fetch(...requestFor(route, { authorization: `Bearer ${token}` }));
        expect(verdict(response.status), `${scopes.join('+')}: ${route} (${response.status})`).toBe(
          expectedForScopes(access, scopes),
        );
      }
    },
  );

  it('refuses a session-cookie change sent from another site (CSRF), and one that names no origin', async () => {
    const mutations = guardedRoutes().filter(
      ([route, access]) => !route.startsWith('GET') && access !== 'ingest-token-only',
    );
    expect(mutations.length).toBeGreaterThan(0);
    for (const [route] of mutations) {
      const [url, init] = requestFor(route, { cookie: cookieHeader(sessions.admin) });
      const crossSite = await fetch(url, { ...init, headers: { ...init.headers, origin: 'https://evil.example' } });
      expect(crossSite.status, route).toBe(403);
      const headers = { ...(init.headers as Record<string, string>) };
      delete headers.origin;
      const noOrigin = await fetch(url, { ...init, headers });
      expect(noOrigin.status, route).toBe(403);
    }
  });

  it('keeps the library endpoints other than sign-in, sign-out and session closed', async () => {
    for (const [method, endpoint] of [
      ['POST', '/api/auth/sign-up/email'],
      ['POST', '/api/auth/admin/create-user'],
      ['POST', '/api/auth/admin/set-role'],
      ['GET', '/api/auth/admin/list-users'],
      ['POST', '/api/auth/request-password-reset'],
    ] as const) {
      const response = await fetch(`${baseUrl}${endpoint}`, {
        method,
        headers: { origin: baseUrl, 'content-type': 'application/json', cookie: cookieHeader(sessions.admin) },
        body:
          method === 'POST'
            ? JSON.stringify({ email: 'x@vigil.test', password: 'p'.repeat(20), name: 'x' })
            : undefined,
      });
      expect(response.status, endpoint).toBe(404);
    }
  });
});

describe('pages', () => {
  it('declares an access rule for every page in app/', () => {
    const pages = walk(path.join(root, 'app'), 'page.tsx').map(urlPattern);
    expect(pages.sort()).toEqual(Object.keys(pageAccess).sort());
  });

  it('sends a visitor without a session to sign-in, remembering where they were going', async () => {
    for (const [page, access] of Object.entries(pageAccess)) {
      const response = await fetch(`${baseUrl}${pageUrl(page)}`, { redirect: 'manual' });
      if (page === '/setup') {
        // Accounts exist here, so the first-run page hands over to sign-in.
        expect(response.headers.get('location'), page).toBe('/sign-in');
        continue;
      }
      if (access === 'public') {
        expect(response.status, page).toBe(200);
        continue;
      }
      expect(response.status, page).toBe(307);
      expect(response.headers.get('location'), page).toBe(`/sign-in?next=${encodeURIComponent(pageUrl(page))}`);
    }
  });

  it.each(roles)('shows the %s role the pages its permissions allow and a 403 page otherwise', async (role) => {
    for (const [page, access] of Object.entries(pageAccess)) {
      if (access === 'public') continue;
      const response = await fetch(`${baseUrl}${pageUrl(page)}`, {
        headers: { cookie: cookieHeader(sessions[role]) },
        redirect: 'manual',
      });
      expect(response.status, `${role}: ${page}`).toBe(roleAllows(role, access) ? 200 : 403);
    }
  });

  it('sends the security headers and a nonce-based Content-Security-Policy with every page', async () => {
    const response = await fetch(`${baseUrl}/rules`, { headers: { cookie: cookieHeader(sessions.viewer) } });
    const policy = response.headers.get('content-security-policy') ?? '';
    const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
    expect(nonce).toBeDefined();
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    const html = await response.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('referrer-policy')).toBe('same-origin');
    const second = await fetch(`${baseUrl}/rules`, { headers: { cookie: cookieHeader(sessions.viewer) } });
    expect(second.headers.get('content-security-policy')).not.toBe(policy); // a fresh nonce per response
  });

  it('sends the security headers with every API answer, HSTS behind an HTTPS proxy only', async () => {
    for (const path of ['/api/health', '/api/v1/alerts', '/api/v1/uploads']) {
      const response = await fetch(`${baseUrl}${path}`, { headers: { cookie: cookieHeader(sessions.viewer) } });
      expect(response.headers.get('content-security-policy'), path).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('x-frame-options'), path).toBe('DENY');
      expect(response.headers.get('strict-transport-security'), path).toBeNull();
    }
    const proxied = await fetch(`${baseUrl}/api/health`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(proxied.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
  });

  it('sets the session cookie http-only, Secure and SameSite=Lax', async () => {
    const response = await postSignIn(baseUrl, inject('accountEmails').viewer);
    const cookie = response.headers.getSetCookie().find((header) => header.includes('session_token')) ?? '';
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; Secure/i);
    expect(cookie).toMatch(/; SameSite=Lax/i);
  });
});

describe('server actions', () => {
  type ManifestEntry = { workers: Record<string, unknown>; filename: string; exportedName: string };
  const manifest = JSON.parse(readFileSync(path.join(root, '.next/server/server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, ManifestEntry>;
  };
  const actions = Object.entries(manifest.node).map(([id, entry]) => ({
    id,
    key: `${entry.filename}#${entry.exportedName}`,
    page: urlPattern(path.join(root, `${Object.keys(entry.workers)[0]!}.tsx`)),
  }));

  function callAction(action: { id: string; page: string }, headers: Record<string, string>) {
    return fetch(`${baseUrl}${action.page}`, {
      method: 'POST',
      headers: { 'next-action': action.id, 'content-type': 'text/plain;charset=UTF-8', origin: baseUrl, ...headers },
      body: '[]',
      redirect: 'manual',
    });
  }

  it('declares an access rule for every server action in the build, and the build has every exported action', () => {
    expect(actions.map((action) => action.key).sort()).toEqual(Object.keys(actionAccess).sort());
    const exported = walk(path.join(root, 'app'), 'actions.ts').flatMap((file) => {
      const source = readFileSync(file, 'utf8');
      if (!source.startsWith("'use server'")) return [];
      return [...source.matchAll(/export async function (\w+)/g)].map(
        (match) => `${path.relative(root, file)}#${match[1]!}`,
      );
    });
    expect(exported.sort()).toEqual(Object.keys(actionAccess).sort());
  });

  it('answers 401 to every action called without a session (the setup action wants its one-time token)', async () => {
    for (const action of actions) {
      const response = await callAction(action, {});
      if (actionAccess[action.key] === 'setup-token') {
        expect(await response.text(), action.key).toContain('used up or out of date');
      } else {
        expect(response.status, action.key).toBe(401);
      }
    }
  });

  it.each(roles)('lets the %s role call exactly the actions its permissions allow', async (role) => {
    for (const action of actions) {
      const access = actionAccess[action.key]!;
      if (access === 'setup-token') continue;
      const response = await callAction(action, { cookie: cookieHeader(sessions[role]) });
      expect(verdict(response.status), `${role}: ${action.key} (${response.status})`).toBe(
        roleAllows(role, access) ? 'allowed' : 403,
      );
    }
  });
});
