// Authorization for pages and server actions (request headers come from next/headers).
import { headers } from 'next/headers';
import { cache } from 'react';
import { forbidden, redirect, unauthorized } from 'next/navigation';
import { readSessionActor, type UserActor } from './read-session';
import { roleAllows, type Permission } from './roles';

// The console layout and its page both ask; one session look-up per request serves both.
const readRequestActor = cache(async () => readSessionActor(await headers()));

/** For pages: the signed-in person, else a redirect to sign-in; a 403 page when the role falls short. */
export async function requirePageActor(permission: Permission = 'read'): Promise<UserActor> {
  const requestHeaders = await headers();
  const actor = await readRequestActor();
  if (!actor) {
    const path = requestHeaders.get('x-vigil-path');
    redirect(
      path && path.startsWith('/') && !path.startsWith('//') ? `/sign-in?next=${encodeURIComponent(path)}` : '/sign-in',
    );
  }
  if (!roleAllows(actor.role, permission)) forbidden();
  return actor;
}

/** For server actions: the signed-in person, else 401; 403 when the role falls short. */
export async function requireActionActor(permission: Permission): Promise<UserActor> {
  const actor = await readSessionActor(await headers());
  if (!actor) unauthorized();
  if (!roleAllows(actor.role, permission)) forbidden();
  return actor;
}
