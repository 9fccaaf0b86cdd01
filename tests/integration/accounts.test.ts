import { afterAll, describe, expect, inject, it } from 'vitest';
import { POST as authPost } from '../../app/api/auth/[...all]/route';
import { GET as listUploads } from '../../app/api/v1/uploads/route';
import { hashApiToken } from '../../lib/auth/api-tokens';
import { createFirstAdmin, isSetupTokenValid, issueSetupToken } from '../../lib/auth/first-run';
import { CLIENT_ADDRESS_HEADER } from '../../lib/net/client-address';
import { FREE_FAILURES, MAX_ADDRESS_FAILURES, readSignInWait } from '../../lib/auth/sign-in-attempts';
import { AppError } from '../../lib/app-error';
import { createUser, setUserDisabled, setUserPassword, setUserRole } from '../../lib/auth/users';
import { createDb, getDb } from '../../lib/db/client';
import { applyAllMigrations } from '../../scripts/commands/migrate';
import { createScratchDatabase } from '../support/database';
import { getPool } from '../../lib/db/pool';
import { TEST_PASSWORD, uniqueClientIp, uniqueEmail } from '../support/accounts';
import { createTestSession, TEST_ORIGIN } from '../support/credentials';

afterAll(async () => {
  await getPool().end();
  await getDb().$disconnect();
});

/** A sign-in as Vigil's web server hands it on: stamped with the address it resolved (null: none). */
function signIn(email: string, password: string, ip: string | null = uniqueClientIp()) {
  const address: Record<string, string> = ip === null ? {} : { [CLIENT_ADDRESS_HEADER]: ip };
  return authPost(
    new Request(`${TEST_ORIGIN}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: TEST_ORIGIN, host: 'vigil.test', ...address },
      body: JSON.stringify({ email, password }),
    }),
  );
}

const canRead = async (headers: Record<string, string>) =>
  (await listUploads(new Request('http://vigil.test/api/v1/uploads', { headers }))).status === 200;

describe('sign-in', () => {
  it('signs a person in with the right password only, and records every attempt', async () => {
    const email = uniqueEmail('signin');
    await createUser(getDb(), { email, name: 'Sign In', role: 'viewer', password: TEST_PASSWORD });
    expect((await signIn(email, 'wrong password!!')).status).toBe(401);
    expect((await signIn(email, TEST_PASSWORD)).status).toBe(200);
    const attempts = await getDb().signInAttempt.findMany({ where: { email }, orderBy: { id: 'asc' } });
    expect(attempts.map((attempt) => attempt.succeeded)).toEqual([false, true]);
    expect(attempts[1]!.userId).not.toBeNull();
  });

  it('slows down the (address, account) pair that keeps failing, while the owner signs in from elsewhere', async () => {
    const email = uniqueEmail('pair');
    await createUser(getDb(), { email, name: 'Pair', role: 'viewer', password: TEST_PASSWORD });
    const stranger = uniqueClientIp();
    const statuses = [];
    for (let attempt = 0; attempt < FREE_FAILURES + 2; attempt++)
      statuses.push((await signIn(email, 'not the password', stranger)).status);
    expect(statuses.slice(0, FREE_FAILURES).every((status) => status === 401)).toBe(true);
    expect(statuses.slice(FREE_FAILURES)).toEqual([429, 429]);
    const slowed = await signIn(email, TEST_PASSWORD, stranger);
    expect(slowed.status).toBe(429);
    expect(Number(slowed.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await slowed.json()).message).toMatch(
      /Too many failed sign-ins for this account from your address\. Try again in \d+ second/,
    );
    // The owner, at another address, is not locked out by the stranger.
    expect((await signIn(email, TEST_PASSWORD, uniqueClientIp())).status).toBe(200);
  });

  it('doubles the wait with each further failure, and lets the pair try again once it has passed', async () => {
    const email = uniqueEmail('backoff');
    const ip = uniqueClientIp();
    for (let attempt = 0; attempt < FREE_FAILURES; attempt++) await signIn(email, 'wrong', ip);
    const now = new Date();
    expect(await readSignInWait(getDb(), { email, ip }, now)).toMatchObject({
      reason: 'account-from-address',
      seconds: 1,
    });
    expect(await readSignInWait(getDb(), { email, ip }, new Date(now.getTime() + 1500))).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await signIn(email, 'wrong again', ip)).status).toBe(401);
    expect(await readSignInWait(getDb(), { email, ip })).toMatchObject({ seconds: 2 });
  });

  it('slows an address that fails across many accounts (password spraying), not the accounts', async () => {
    const sprayer = uniqueClientIp();
    const accounts = [uniqueEmail('spray-a'), uniqueEmail('spray-b'), uniqueEmail('spray-c')];
    for (const email of accounts)
      await createUser(getDb(), { email, name: 'Spray', role: 'viewer', password: TEST_PASSWORD });
    for (let attempt = 0; attempt < MAX_ADDRESS_FAILURES; attempt++) {
      // Another account name each guess keeps every pair under its free failures.
      expect((await signIn(uniqueEmail(`sprayed-${attempt}`), 'Winter2026!', sprayer)).status).toBe(401);
    }
    const refused = await signIn(accounts[0]!, TEST_PASSWORD, sprayer);
    expect(refused.status).toBe(429);
    expect((await refused.json()).message).toMatch(/Too many failed sign-ins from your address/);
    for (const email of accounts) expect((await signIn(email, TEST_PASSWORD, uniqueClientIp())).status).toBe(200);
  });

  it('keeps accounts apart when no address is known: one account’s failures never slow another', async () => {
    const victim = uniqueEmail('no-address');
    await createUser(getDb(), { email: victim, name: 'No address', role: 'viewer', password: TEST_PASSWORD });
    for (let attempt = 0; attempt < FREE_FAILURES + 1; attempt++) await signIn(uniqueEmail('other'), 'wrong', null);
    expect((await signIn(victim, TEST_PASSWORD, null)).status).toBe(200);
  });

  it('keeps the library’s other endpoints closed', async () => {
    const response = await authPost(
      new Request(`${TEST_ORIGIN}/api/auth/sign-up/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: TEST_ORIGIN },
        body: JSON.stringify({ email: uniqueEmail('signup'), password: TEST_PASSWORD, name: 'x' }),
      }),
    );
    expect(response.status).toBe(404);
  });
});

describe('account changes', () => {
  it('ends the sessions of a disabled account at once and refuses its sign-in', async () => {
    const analyst = await createTestSession('analyst');
    expect(await canRead(analyst.headers)).toBe(true);
    await setUserDisabled(getDb(), analyst.email, true);
    expect(await canRead(analyst.headers)).toBe(false);
    const refused = await signIn(analyst.email, TEST_PASSWORD);
    expect(refused.status).toBe(403);
    expect((await refused.json()).message).toMatch(/disabled/);
    await setUserDisabled(getDb(), analyst.email, false);
    expect((await signIn(analyst.email, TEST_PASSWORD)).status).toBe(200);
  });

  it('ends sessions when a password is reset, and the new password works', async () => {
    const viewer = await createTestSession('viewer');
    await setUserPassword(getDb(), viewer.userId, 'a brand new password');
    expect(await canRead(viewer.headers)).toBe(false);
    expect((await signIn(viewer.email, TEST_PASSWORD)).status).toBe(401);
    expect((await signIn(viewer.email, 'a brand new password')).status).toBe(200);
  });

  it('never leaves the app without an enabled admin', async () => {
    // "The last admin" is global state, so this works in a database of its own.
    const database = await createScratchDatabase(inject('serverUrl'), 'admins');
    await applyAllMigrations(database.url);
    const db = createDb(database.url, 2);
    try {
      const first = await db.user.create({ data: { email: 'first@vigil.test', name: 'First', role: 'admin' } });
      await expect(setUserRole(db, first.email, 'viewer')).rejects.toThrow(AppError);
      await expect(setUserDisabled(db, first.id, true)).rejects.toThrow(/last enabled admin/);
      const second = await db.user.create({ data: { email: 'second@vigil.test', name: 'Second', role: 'admin' } });
      await setUserDisabled(db, second.id, true);
      await expect(setUserRole(db, first.email, 'analyst')).rejects.toThrow(/last enabled admin/);
      await setUserDisabled(db, second.id, false);
      expect((await setUserRole(db, first.email, 'analyst')).role).toBe('analyst');
      await expect(setUserDisabled(db, second.email, true)).rejects.toThrow(/last enabled admin/);
    } finally {
      await db.$disconnect();
      await database.drop();
    }
  });

  it('refuses a second account with the same email, in any letter case', async () => {
    const email = uniqueEmail('dup');
    await createUser(getDb(), { email, name: 'One', role: 'viewer', password: TEST_PASSWORD });
    await expect(
      createUser(getDb(), { email: email.toUpperCase(), name: 'Two', role: 'admin', password: TEST_PASSWORD }),
    ).rejects.toThrow(/already exists/);
  });
});

describe('first-run setup', () => {
  it('issues no setup link and accepts none once accounts exist', async () => {
    await createTestSession('viewer');
    expect(await issueSetupToken(getDb())).toBeNull();
    await getDb().setupToken.create({ data: { tokenHash: hashApiToken('planted') } });
    expect(await isSetupTokenValid(getDb(), 'planted')).toBe(false);
    const before = await getDb().user.count();
    await expect(
      createFirstAdmin(getDb(), 'planted', { email: uniqueEmail('intruder'), name: 'x', password: TEST_PASSWORD }),
    ).rejects.toThrow(AppError);
    expect(await getDb().user.count()).toBe(before);
  });
});
