'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { requireActionActor } from '@/lib/auth/require-actor';
import { newUserSchema, passwordSchema, roleSchema } from '@/lib/auth/schemas';
import { refusal } from '@/app/_lib/action-refusal';
import { AppError } from '@/lib/app-error';
import { createUser, setUserDisabled, setUserPassword, setUserRole } from '@/lib/auth/users';
import { getDb } from '@/lib/db/client';
import { formatFirstIssue } from '@/lib/format-first-issue';

export type UserFormState = { ok: boolean; message: string } | null;

const userIdSchema = z.uuid({ error: 'unknown user' });

async function run(change: () => Promise<string>): Promise<UserFormState> {
  try {
    const message = await change();
    revalidatePath('/settings/users');
    return { ok: true, message };
  } catch (error) {
    if (error instanceof z.ZodError) return { ok: false, message: formatFirstIssue(error) };
    return refusal(error);
  }
}

export async function createUserAction(_previous: UserFormState, form: FormData): Promise<UserFormState> {
  await requireActionActor('admin');
  return run(async () => {
    const user = await createUser(getDb(), newUserSchema.parse(Object.fromEntries(form)));
    return `Created ${user.email} (${user.role}). Give them their password through a private channel.`;
  });
}

export async function changeUserAction(_previous: UserFormState, form: FormData): Promise<UserFormState> {
  const actor = await requireActionActor('admin');
  return run(async () => {
    const userId = userIdSchema.parse(form.get('userId'));
    const change = z.enum(['role', 'disable', 'enable', 'password']).parse(form.get('change'));
    if (change === 'role') {
      const user = await setUserRole(getDb(), userId, roleSchema.parse(form.get('role')));
      return `${user.email} is now ${user.role}.`;
    }
    if (change === 'password') {
      const user = await setUserPassword(getDb(), userId, passwordSchema.parse(form.get('password')));
      return `New password set for ${user.email}; their sessions were ended.`;
    }
    if (change === 'disable' && userId === actor.id)
      throw new AppError('invalid', 'you cannot disable your own account');
    const user = await setUserDisabled(getDb(), userId, change === 'disable');
    return user.disabled ? `${user.email} is disabled and signed out.` : `${user.email} is enabled.`;
  });
}
