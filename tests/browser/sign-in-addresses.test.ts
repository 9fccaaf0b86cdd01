// Sign-in limiting through Vigil's real web server: the address counted is the socket's, so a client
// rotating X-Forwarded-For gains nothing; behind a proxy named in VIGIL_TRUSTED_PROXIES, the header's
// client address counts instead.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FREE_FAILURES } from '../../lib/auth/sign-in-attempts';
import { TEST_PASSWORD, uniqueClientIp, uniqueEmail } from '../support/accounts';
import { startApp, type AppProcess } from '../support/app-process';
import { runCli } from '../support/run-cli';

const baseUrl = inject('baseUrl');
const databaseUrl = inject('databaseUrl');
const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
let behindProxy: AppProcess;

beforeAll(async () => {
  behindProxy = await startApp({ DATABASE_URL: databaseUrl, VIGIL_TRUSTED_PROXIES: '127.0.0.1/32, ::1' });
}, 200_000);
afterAll(async () => {
  await behindProxy?.stop();
  await pool.end();
});

function signIn(url: string, email: string, password: string, forwardedFor: string) {
  return fetch(`${url}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url, 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ email, password }),
  });
}

async function createAccount(label: string) {
  const email = uniqueEmail(label);
  const created = await runCli(['user', 'create', '--email', email, '--role', 'viewer', '--password', TEST_PASSWORD], {
    DATABASE_URL: databaseUrl,
  });
  expect(created.code, created.stderr).toBe(0);
  return email;
}

describe('the address a sign-in is counted under', () => {
  it('is the socket’s when no proxy is trusted: rotating X-Forwarded-For does not escape the slowdown', async () => {
    const email = await createAccount('rotating');
    const statuses = [];
    for (let attempt = 0; attempt < FREE_FAILURES + 2; attempt++)
      statuses.push((await signIn(baseUrl, email, `guess ${attempt}`, uniqueClientIp())).status);
    expect(statuses).toEqual([...Array(FREE_FAILURES).fill(401), 429, 429]);
    const attempts = await pool.query<{ ip: string }>(`SELECT DISTINCT ip FROM sign_in_attempts WHERE email = $1`, [
      email,
    ]);
    expect(attempts.rows.map((row) => row.ip)).toEqual(['127.0.0.1']);
  });

  it('is X-Forwarded-For’s client behind a trusted proxy: each client has its own allowance', async () => {
    const email = await createAccount('proxied');
    const stranger = uniqueClientIp();
    for (let attempt = 0; attempt < FREE_FAILURES + 1; attempt++)
      await signIn(behindProxy.baseUrl, email, 'guess', stranger);
    expect((await signIn(behindProxy.baseUrl, email, TEST_PASSWORD, stranger)).status).toBe(429);
    // A forged address left of the proxy's own entry is not believed: the proxy appended the real one.
    expect((await signIn(behindProxy.baseUrl, email, TEST_PASSWORD, `${uniqueClientIp()}, ${stranger}`)).status).toBe(
      429,
    );
    expect((await signIn(behindProxy.baseUrl, email, TEST_PASSWORD, uniqueClientIp())).status).toBe(200);
  });
});
