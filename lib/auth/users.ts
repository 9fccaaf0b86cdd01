// People: created, re-roled, disabled and re-passworded by admins (or `vigil user` on the server).
// Passwords are hashed by better-auth; the last enabled admin can never be demoted or disabled.
import type { Db } from '../db/client';
import { getAuth } from './auth';
import { isRole, type Role } from './roles';
import type { NewUser } from './schemas';
import { AppError } from '../app-error';

export type UserSummary = {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: Date;
  lastSignInAt: Date | null;
};

export async function createUser(db: Db, input: NewUser): Promise<UserSummary> {
  const email = input.email.toLowerCase();
  if (await db.user.findUnique({ where: { email }, select: { id: true } })) {
    throw new AppError('conflict', `an account for ${email} already exists`);
  }
  const { user } = await getAuth().api.createUser({
    body: { email, name: input.name, password: input.password, role: input.role },
  });
  return { ...(await readUserSummary(db, user.id)) };
}

export async function countUsers(db: Db): Promise<number> {
  return db.user.count();
}

export async function listUsers(db: Db, only?: { id: string }): Promise<UserSummary[]> {
  const users = await db.user.findMany({ where: only, orderBy: { email: 'asc' }, take: 1000 });
  const lastSignIns = await db.signInAttempt.groupBy({
    by: ['userId'],
    where: { succeeded: true, userId: { in: users.map((user) => user.id) } },
    _max: { createdAt: true },
  });
  const lastById = new Map(lastSignIns.map((row) => [row.userId, row._max.createdAt]));
  return users.map((user) => ({
    id: user.id,
    email: user.email,
    name: user.name,
    role: isRole(user.role) ? user.role : 'viewer',
    disabled: user.banned,
    createdAt: user.createdAt,
    lastSignInAt: lastById.get(user.id) ?? null,
  }));
}

async function readUserSummary(db: Db, id: string): Promise<UserSummary> {
  const [found] = await listUsers(db, { id });
  if (!found) throw new AppError('not-found', 'no such user');
  return found;
}

async function findUser(db: Db, idOrEmail: string) {
  const user = await db.user.findFirst({
    where: /^[0-9a-f-]{36}$/i.test(idOrEmail) ? { id: idOrEmail } : { email: idOrEmail.toLowerCase() },
  });
  if (!user) throw new AppError('not-found', `no user ${idOrEmail}`);
  return user;
}

/** Refuses a change that would leave no enabled admin. */
async function keepOneAdmin(db: Db, userId: string) {
  const others = await db.user.count({ where: { role: 'admin', banned: false, id: { not: userId } } });
  if (others === 0) throw new AppError('conflict', 'this is the last enabled admin: make another admin first');
}

export async function setUserRole(db: Db, idOrEmail: string, role: Role): Promise<UserSummary> {
  const user = await findUser(db, idOrEmail);
  if (user.role === 'admin' && role !== 'admin') await keepOneAdmin(db, user.id);
  await db.user.update({ where: { id: user.id }, data: { role } });
  return readUserSummary(db, user.id);
}

/** Disabling also ends the account's sessions, so it is locked out at once. */
export async function setUserDisabled(db: Db, idOrEmail: string, disabled: boolean): Promise<UserSummary> {
  const user = await findUser(db, idOrEmail);
  if (disabled && user.role === 'admin') await keepOneAdmin(db, user.id);
  await db.$transaction([
    db.user.update({
      where: { id: user.id },
      data: { banned: disabled, banReason: disabled ? 'disabled by an admin' : null, banExpires: null },
    }),
    ...(disabled ? [db.session.deleteMany({ where: { userId: user.id } })] : []),
  ]);
  return readUserSummary(db, user.id);
}

/** Sets a new password and ends the account's sessions. */
export async function setUserPassword(db: Db, idOrEmail: string, password: string): Promise<UserSummary> {
  const user = await findUser(db, idOrEmail);
  const context = await getAuth().$context;
  const hash = await context.password.hash(password);
  await db.$transaction(async (tx) => {
    const updated = await tx.account.updateMany({
      where: { userId: user.id, providerId: 'credential' },
      data: { password: hash },
    });
    if (updated.count === 0) {
      await tx.account.create({
        data: { userId: user.id, accountId: user.id, providerId: 'credential', password: hash },
      });
    }
    await tx.session.deleteMany({ where: { userId: user.id } });
  });
  return readUserSummary(db, user.id);
}
