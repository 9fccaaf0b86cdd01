import { afterAll, describe, expect, inject, it } from 'vitest';
import { POST as authPost } from '../../app/api/auth/[...all]/route';
import { GET as listUploads } from '../../app/api/v1/uploads/route';
import { hashApiToken } from '../../lib/auth/api-tokens';
import { createFirstAdmin, isSetupTokenValid, issueSetupToken } from '../../lib/auth/first-run';
import { MAX_FAILED_SIGN_INS } from '../../lib/auth/sign-in-attempts';
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

function signIn(email: string, password: string, ip = uniqueClientIp()) {
  return authPost(
    new Request(`${TEST_ORIGIN}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: TEST_ORIGIN, host: 'vigil.test', 'x-forwarded-for': ip },
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

  it('limits attempts per client address', async () => {
    const email = uniqueEmail('per-ip');
    const ip = uniqueClientIp();
    const statuses = [];
    for (let attempt = 0; attempt < 7; attempt++) statuses.push((await signIn(email, 'not the password', ip)).status);
    expect(statuses.slice(0, 5).every((status) => status === 401)).toBe(true);
    expect(statuses.slice(5)).toEqual([429, 429]);
  });

  it('locks an account after repeated failures from any addresses, even against the right password', async () => {
    const email = uniqueEmail('locked');
    await createUser(getDb(), { email, name: 'Locked', role: 'viewer', password: TEST_PASSWORD });
    for (let attempt = 0; attempt < MAX_FAILED_SIGN_INS; attempt++) {
      expect((await signIn(email, `guess number ${attempt}`)).status).toBe(401);
    }
    const locked = await signIn(email, TEST_PASSWORD);
    expect(locked.status).toBe(429);
    expect((await locked.json()).message).toMatch(/Too many failed sign-ins for this account/);
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
