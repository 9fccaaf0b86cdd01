'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { createApiToken, revokeApiToken } from '@/lib/auth/api-tokens';
import { requireActionActor } from '@/lib/auth/require-actor';
import { newApiTokenSchema } from '@/lib/auth/schemas';
import { getDb } from '@/lib/db/client';
import { formatFirstIssue } from '@/lib/format-first-issue';

export type CreateTokenState =
  { ok: true; token: string; name: string; scopes: string[] } | { ok: false; message: string } | null;
export type RevokeTokenState = { ok: boolean; message: string } | null;

export async function createTokenAction(_previous: CreateTokenState, form: FormData): Promise<CreateTokenState> {
  const actor = await requireActionActor('admin');
  const input = newApiTokenSchema.safeParse({
    name: form.get('name'),
    scopes: form.getAll('scopes'),
    expiresInDays: form.get('expiresInDays') || undefined,
  });
  if (!input.success) return { ok: false, message: formatFirstIssue(input.error) };
  const { token, summary } = await createApiToken(getDb(), input.data, actor.id);
  revalidatePath('/settings/tokens');
  return { ok: true, token, name: summary.name, scopes: summary.scopes };
}

export async function revokeTokenAction(_previous: RevokeTokenState, form: FormData): Promise<RevokeTokenState> {
  await requireActionActor('admin');
  const id = z.uuid().safeParse(form.get('tokenId'));
  if (!id.success) return { ok: false, message: 'unknown token' };
  const revoked = await revokeApiToken(getDb(), id.data);
  revalidatePath('/settings/tokens');
  return revoked ? { ok: true, message: 'Revoked.' } : { ok: false, message: 'already revoked' };
}
