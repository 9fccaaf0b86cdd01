// Sign-in throttling, as OWASP's authentication guidance has it: failures slow down the one
// (address, account) pair that makes them, with an exponential delay, instead of locking the account
// (which would let anyone lock its owner out); an address failing across many accounts (password
// spraying) is slowed as a whole. The address is the one Vigil's web server resolved (client-address.ts).
import type { Db } from '../db/client';

/** Failures a pair may make before each further try has to wait. */
export const FREE_FAILURES = 5;
/** The wait doubles from one second with each failure past the free ones, up to this. */
export const MAX_WAIT_SECONDS = 15 * 60;
/** Failures counted for a pair: those of the last hour, since its last success. */
const PAIR_MEMORY_MINUTES = 60;
/** Failures from one address across accounts within SPRAY_MINUTES that slow the address as a whole. */
export const MAX_ADDRESS_FAILURES = 30;
const SPRAY_MINUTES = 15;

export type SignInWait = { seconds: number; reason: 'account-from-address' | 'address' };

type Attempt = { email: string; ip: string | null };

/** How long this attempt must wait, or null when it may go ahead now. */
export async function readSignInWait(db: Db, attempt: Attempt, now = new Date()): Promise<SignInWait | null> {
  const pairSince = new Date(now.getTime() - PAIR_MEMORY_MINUTES * 60_000);
  const lastSuccess = await db.signInAttempt.findFirst({
    where: { email: attempt.email, ip: attempt.ip, succeeded: true, createdAt: { gte: pairSince } },
    orderBy: { createdAt: 'desc' },
    select: { createdAt: true },
  });
  const failures = await db.signInAttempt.findMany({
    where: {
      email: attempt.email,
      ip: attempt.ip,
      succeeded: false,
      createdAt: { gte: lastSuccess?.createdAt ?? pairSince },
    },
    orderBy: { createdAt: 'desc' },
    select: { createdAt: true },
    take: 64,
  });
  if (failures.length >= FREE_FAILURES) {
    const waitMs = Math.min(MAX_WAIT_SECONDS, 2 ** (failures.length - FREE_FAILURES)) * 1000;
    const left = failures[0]!.createdAt.getTime() + waitMs - now.getTime();
    if (left > 0) return { seconds: Math.ceil(left / 1000), reason: 'account-from-address' };
  }
  if (attempt.ip === null) return null;
  const spraySince = new Date(now.getTime() - SPRAY_MINUTES * 60_000);
  const fromAddress = await db.signInAttempt.findMany({
    where: { ip: attempt.ip, succeeded: false, createdAt: { gte: spraySince } },
    orderBy: { createdAt: 'desc' },
    select: { createdAt: true },
    take: MAX_ADDRESS_FAILURES,
  });
  if (fromAddress.length < MAX_ADDRESS_FAILURES) return null;
  const left = fromAddress.at(-1)!.createdAt.getTime() + SPRAY_MINUTES * 60_000 - now.getTime();
  return left > 0 ? { seconds: Math.ceil(left / 1000), reason: 'address' } : null;
}

export function describeSignInWait(wait: SignInWait): string {
  const when = wait.seconds < 90 ? `${wait.seconds} second(s)` : `${Math.ceil(wait.seconds / 60)} minute(s)`;
  return wait.reason === 'address'
    ? `Too many failed sign-ins from your address. Try again in ${when}.`
    : `Too many failed sign-ins for this account from your address. Try again in ${when}.`;
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
