// The per-account half of sign-in throttling (better-auth's limiter is per client IP):
// many failures for one email lock it for a while, whichever addresses they came from.
import type { Db } from '../db/client';

export const MAX_FAILED_SIGN_INS = 10;
export const SIGN_IN_LOCK_MINUTES = 15;

/** Minutes until the account may try again, or 0 when it is not locked. */
export async function readSignInLock(db: Db, email: string, now = new Date()): Promise<number> {
  const since = new Date(now.getTime() - SIGN_IN_LOCK_MINUTES * 60_000);
  const lastSuccess = await db.signInAttempt.findFirst({
    where: { email, succeeded: true, createdAt: { gte: since } },
    orderBy: { createdAt: 'desc' },
    select: { createdAt: true },
  });
  const failures = await db.signInAttempt.findMany({
    where: { email, succeeded: false, createdAt: { gte: lastSuccess?.createdAt ?? since } },
    orderBy: { createdAt: 'asc' },
    select: { createdAt: true },
  });
  if (failures.length < MAX_FAILED_SIGN_INS) return 0;
  const unlocksAt =
    failures[failures.length - MAX_FAILED_SIGN_INS]!.createdAt.getTime() + SIGN_IN_LOCK_MINUTES * 60_000;
  return Math.max(1, Math.ceil((unlocksAt - now.getTime()) / 60_000));
}

export type SignInAttemptRecord = {
  email: string;
  userId: string | null;
  succeeded: boolean;
  ip: string | null;
  userAgent: string | null;
};

export async function recordSignInAttempt(db: Db, attempt: SignInAttemptRecord) {
  await db.signInAttempt.create({
    data: { ...attempt, email: attempt.email.slice(0, 320), userAgent: attempt.userAgent?.slice(0, 512) ?? null },
  });
}
