// The signed-in person behind a request's cookies, as an Actor, or null.
import { getAuth } from './auth';
import type { Actor } from './actor';
import { isRole } from './roles';

export type UserActor = Extract<Actor, { kind: 'user' }>;

export async function readSessionActor(headers: Headers): Promise<UserActor | null> {
  if (!headers.get('cookie')) return null;
  const session = await getAuth().api.getSession({ headers });
  if (!session || session.user.banned) return null;
  const role = session.user.role;
  return {
    kind: 'user',
    id: session.user.id,
    name: session.user.name,
    email: session.user.email,
    role: isRole(role) ? role : 'viewer',
  };
}
