// Credentials for integration tests that call route handlers directly: API tokens and
// signed-in sessions, made through the product's own verbs.
import { createApiToken } from '../../lib/auth/api-tokens';
import { getAuth } from '../../lib/auth/auth';
import type { Role, TokenScope } from '../../lib/auth/roles';
import { createUser } from '../../lib/auth/users';
import { getDb } from '../../lib/db/client';
import { SESSION_COOKIE, TEST_PASSWORD, uniqueEmail } from './accounts';

export const TEST_ORIGIN = 'http://vigil.test';

export async function createTestToken(scopes: TokenScope[], name = `test ${scopes.join('+')}`): Promise<string> {
  return (await createApiToken(getDb(), { name, scopes }, null)).token;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export type TestSession = { email: string; userId: string; cookie: string; headers: Record<string, string> };

/** A new account of the role, signed in; `headers` make a same-origin request with its cookie. */
export async function createTestSession(role: Role): Promise<TestSession> {
  const email = uniqueEmail(role);
  const user = await createUser(getDb(), { email, name: `Test ${role}`, role, password: TEST_PASSWORD });
  const { headers } = await getAuth().api.signInEmail({
    body: { email, password: TEST_PASSWORD },
    returnHeaders: true,
  });
  const cookie = headers
    .getSetCookie()
    .find((header) => header.startsWith(`${SESSION_COOKIE}=`))
    ?.split(';')[0];
  if (!cookie) throw new Error('sign-in set no session cookie');
  return { email, userId: user.id, cookie, headers: { cookie, origin: TEST_ORIGIN, host: 'vigil.test' } };
}
