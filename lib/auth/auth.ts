// The better-auth instance: email + password sign-in, sessions in http-only cookies, roles
// through the admin plugin, sign-in throttled per (address, account) pair and per address (ours).
import { betterAuth } from 'better-auth';
import { prismaAdapter } from 'better-auth/adapters/prisma';
import { APIError, createAuthMiddleware } from 'better-auth/api';
import { admin } from 'better-auth/plugins';
import { createAccessControl } from 'better-auth/plugins/access';
import { adminAc, defaultStatements } from 'better-auth/plugins/admin/access';
import { getDb } from '../db/client';
import { getEnv } from '../env';
import { resolveAuthSecret } from './auth-secret';
import { CLIENT_ADDRESS_HEADER } from '../net/client-address';
import { describeSignInWait, readSignInWait, recordSignInAttempt } from './sign-in-attempts';

export const SESSION_HOURS = 12;
export const MIN_PASSWORD_LENGTH = 12;

const accessControl = createAccessControl(defaultStatements);
const noAccountPowers = accessControl.newRole({ user: [], session: [] });

function createAuth() {
  const env = getEnv();
  const db = getDb();
  const publicUrl = env.VIGIL_PUBLIC_URL;
  return betterAuth({
    appName: 'Vigil',
    secret: resolveAuthSecret(env),
    // Unset: the origin is the request's own, so the same build serves localhost and a proxy's name.
    baseURL: publicUrl,
    basePath: '/api/auth',
    // Same-origin check for sign-in/out: the page's Origin must name the host it was sent to.
    trustedOrigins: (request) => {
      const host = request?.headers.get('host');
      return host ? [`http://${host}`, `https://${host}`] : [];
    },
    database: prismaAdapter(db, { provider: 'postgresql' }),
    telemetry: { enabled: false },
    logger: { level: 'error' },
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: 256,
    },
    session: {
      expiresIn: SESSION_HOURS * 60 * 60,
      updateAge: 60 * 60,
      // Every request reads the session row, so a disabled account or revoked session stops at once.
      cookieCache: { enabled: false },
    },
    // The library's limiter keys on the address alone, one shared bucket when it cannot tell: Vigil's own
    // throttle (sign-in-attempts.ts) takes its place; the only endpoints open are sign-in, sign-out, session.
    rateLimit: { enabled: false },
    advanced: {
      cookiePrefix: 'vigil',
      // Secure cookies unless the operator declares a plain-http address; browsers accept them on localhost.
      useSecureCookies: !publicUrl?.startsWith('http://'),
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax' },
      database: { generateId: 'uuid' },
      ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] },
    },
    plugins: [
      admin({
        ac: accessControl,
        roles: { admin: adminAc, analyst: noAccountPowers, viewer: noAccountPowers },
        defaultRole: 'viewer',
        adminRoles: ['admin'],
        bannedUserMessage: 'This account is disabled. Ask a Vigil admin to enable it.',
      }),
    ],
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== '/sign-in/email') return;
        const email = signInEmail(ctx.body);
        if (!email) return;
        const wait = await readSignInWait(db, { email, ip: clientIp(ctx.headers) });
        if (wait) {
          throw new APIError(
            'TOO_MANY_REQUESTS',
            { message: describeSignInWait(wait) },
            { 'Retry-After': String(wait.seconds) },
          );
        }
      }),
      after: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== '/sign-in/email') return;
        const email = signInEmail(ctx.body);
        if (!email) return;
        const session = ctx.context.newSession;
        await recordSignInAttempt(db, {
          email,
          userId: session?.user.id ?? null,
          succeeded: session !== null && session !== undefined,
          ip: clientIp(ctx.headers),
          userAgent: ctx.headers?.get('user-agent') ?? null,
        });
      }),
    },
  });
}

function signInEmail(body: unknown): string | null {
  const email = (body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' && email.length > 0 ? email.trim().toLowerCase() : null;
}

/** The address Vigil's web server resolved for the request; never a header the client wrote itself. */
function clientIp(headers: Headers | undefined): string | null {
  return headers?.get(CLIENT_ADDRESS_HEADER)?.slice(0, 64) ?? null;
}

export type Auth = ReturnType<typeof createAuth>;

const globalForAuth = globalThis as unknown as { vigilAuth?: Auth };

export function getAuth(): Auth {
  globalForAuth.vigilAuth ??= createAuth();
  return globalForAuth.vigilAuth;
}
