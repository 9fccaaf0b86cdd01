// Accounts for tests: one per role, created through the same verb as `vigil user create`,
// signed in over HTTP like the sign-in page does.
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { Role } from '../../lib/auth/roles';

export const TEST_PASSWORD = 'vigil-test-password-1';
export const SESSION_COOKIE = '__Secure-vigil.session_token';

export type TestAccount = { email: string; role: Role };
export type SessionCookies = Record<Role, string>;

export const uniqueEmail = (label: string) => `${label}-${randomUUID().slice(0, 8)}@vigil.test`;

/** A made-up client address, for tests that play Vigil's web server (it stamps CLIENT_ADDRESS_HEADER). */
export const uniqueClientIp = () =>
  `10.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 254) + 1}`;

/** The sign-in request the sign-in page sends (its address is the socket's: the test runner's). */
export function postSignIn(baseUrl: string, email: string, password = TEST_PASSWORD): Promise<Response> {
  return fetch(`${baseUrl}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify({ email, password }),
  });
}

/** Signs in over HTTP; returns the session cookie's value. */
export async function signInOverHttp(baseUrl: string, email: string, password = TEST_PASSWORD): Promise<string> {
  const response = await postSignIn(baseUrl, email, password);
  if (response.status !== 200)
    throw new Error(`sign-in of ${email} answered ${response.status}: ${await response.text()}`);
  const cookie = response.headers
    .getSetCookie()
    .find((header) => header.startsWith(`${SESSION_COOKIE}=`))
    ?.split(';')[0]
    ?.slice(SESSION_COOKIE.length + 1);
  if (!cookie) throw new Error(`sign-in of ${email} set no session cookie`);
  return cookie;
}

/** A Chromium page that is signed in as the given session. */
export async function openSignedInPage(
  browser: Browser,
  baseUrl: string,
  sessionCookie: string,
  options: BrowserContextOptions = {},
): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, ...options });
  await context.addCookies([
    {
      name: SESSION_COOKIE,
      value: sessionCookie,
      domain: new URL(baseUrl).hostname,
      path: '/',
      httpOnly: true,
      secure: true,
      sameSite: 'Lax',
    },
  ]);
  return context.newPage();
}

export const cookieHeader = (sessionCookie: string) => `${SESSION_COOKIE}=${sessionCookie}`;
