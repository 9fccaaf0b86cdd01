// Who is acting on a request: a signed-in person or an API token. Activity rows name them.
import type { Role, TokenScope } from './roles';

export type Actor =
  | { kind: 'user'; id: string; name: string; email: string; role: Role }
  | { kind: 'token'; id: string; name: string; scopes: TokenScope[]; createdById: string | null };

/** The user id activity rows link to: the person, or the admin who created the token. */
export function actorUserId(actor: Actor): string | null {
  return actor.kind === 'user' ? actor.id : actor.createdById;
}

/** How activity rows and batch lists name the actor. */
export function actorName(actor: Actor): string {
  return actor.kind === 'user' ? actor.email : `token:${actor.name}`;
}

/** The who of an activity row: linked user id and display name. */
export function activityActor(actor: Actor): { id: string | null; name: string } {
  return { id: actorUserId(actor), name: actorName(actor) };
}
