'use server';

import { z } from 'zod';
import { createFirstAdmin, isSetupTokenValid } from '@/lib/auth/first-run';
import { newUserSchema } from '@/lib/auth/schemas';
import { refusal } from '@/app/_lib/action-refusal';
import { getDb } from '@/lib/db/client';
import { formatFirstIssue } from '@/lib/format-first-issue';

/** `created`: the admin's email; the form then signs in with the password it still holds. */
export type SetupState = { message: string } | { created: string } | null;

const setupSchema = newUserSchema
  .omit({ role: true })
  .extend({ confirm: z.string() })
  .refine((value) => value.password === value.confirm, { message: 'the passwords differ', path: ['confirm'] });

/** Public on purpose: the one-time setup token is its credential. */
export async function createFirstAdminAction(
  token: string,
  _previous: SetupState,
  form: FormData,
): Promise<SetupState> {
  if (typeof token !== 'string' || !(await isSetupTokenValid(getDb(), token)) || !(form instanceof FormData)) {
    return { message: 'this setup link is used up or out of date: start Vigil again for a new one' };
  }
  const input = setupSchema.safeParse(Object.fromEntries(form));
  if (!input.success) return { message: formatFirstIssue(input.error) };
  try {
    const { confirm: _confirm, ...user } = input.data;
    await createFirstAdmin(getDb(), token, user);
  } catch (error) {
    return { message: refusal(error).message };
  }
  return { created: input.data.email };
}
