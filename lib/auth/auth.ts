// The better-auth instance: email + password sign-in, sessions in http-only cookies, roles
// through the admin plugin, sign-in throttled per IP (library) and per account (ours).
import { betterAuth } from 'better-auth';
import { prismaAdapter } from 'better-auth/adapters/prisma';
import { APIError, createAuthMiddleware } from 'better-auth/api';
import { admin } from 'better-auth/plugins';
import { createAccessControl } from 'better-auth/plugins/access';
import { adminAc, defaultStatements } from 'better-auth/plugins/admin/access';
import { getDb } from '../db/client';
import { getEnv } from '../env';
import { resolveAuthSecret } from './auth-secret';
import { readSignInLock, recordSignInAttempt } from './sign-in-attempts';

export const SESSION_HOURS = 12;
export const MIN_PASSWORD_LENGTH = 12;
/** Sign-in attempts per client IP per minute (better-auth's limiter). */
export const SIGN_IN_ATTEMPTS_PER_MINUTE = 5;

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
    rateLimit: {
      enabled: true,
      storage: 'database',
      window: 60,
      max: 100,
      customRules: { '/sign-in/email': { window: 60, max: SIGN_IN_ATTEMPTS_PER_MINUTE } },
    },
    advanced: {
      cookiePrefix: 'vigil',
      // Secure cookies unless the operator declares a plain-http address; browsers accept them on localhost.
      useSecureCookies: !publicUrl?.startsWith('http://'),
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax' },
      database: { generateId: 'uuid' },
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
        const minutes = email ? await readSignInLock(db, email) : 0;
        if (minutes > 0) {
          throw new APIError('TOO_MANY_REQUESTS', {
            message: `Too many failed sign-ins for this account. Try again in ${minutes} minute(s).`,
          });
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

function clientIp(headers: Headers | undefined): string | null {
  const forwarded = headers?.get('x-forwarded-for');
  return forwarded ? (forwarded.split(',').at(-1)?.trim() ?? null) : null;
}

export type Auth = ReturnType<typeof createAuth>;

const globalForAuth = globalThis as unknown as { vigilAuth?: Auth };

export function getAuth(): Auth {
  globalForAuth.vigilAuth ??= createAuth();
  return globalForAuth.vigilAuth;
}
