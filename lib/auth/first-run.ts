// The first admin, created in the browser through a one-time link the launcher prints, so
// nobody else who can reach a fresh install claims it first.
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/client';
import { hashApiToken } from './api-tokens';
import type { NewUser } from './schemas';
import { createUser, type UserSummary } from './users';
import { AppError } from '../app-error';

/** A fresh setup token while no account exists (earlier ones stop working), else null. */
export async function issueSetupToken(db: Db): Promise<string | null> {
  if ((await db.user.count()) > 0) return null;
  const token = randomBytes(24).toString('base64url');
  await db.$transaction([
    db.setupToken.deleteMany({}),
    db.setupToken.create({ data: { tokenHash: hashApiToken(token) } }),
  ]);
  return token;
}

export async function isSetupTokenValid(db: Db, token: string): Promise<boolean> {
  if (!token || token.length > 100) return false;
  if ((await db.user.count()) > 0) return false;
  return (await db.setupToken.count({ where: { tokenHash: hashApiToken(token) } })) === 1;
}

/** Spends the token (one request wins it) and creates the admin. */
export async function createFirstAdmin(db: Db, token: string, input: Omit<NewUser, 'role'>): Promise<UserSummary> {
  const { count } = await db.setupToken.deleteMany({ where: { tokenHash: hashApiToken(token) } });
  if (count !== 1)
    throw new AppError('invalid', 'this setup link is used up or out of date: start Vigil again for a new one');
  if ((await db.user.count()) > 0) throw new AppError('conflict', 'an account already exists: sign in instead');
  const admin = await createUser(db, { ...input, role: 'admin' });
  await db.setupToken.deleteMany({});
  return admin;
}
