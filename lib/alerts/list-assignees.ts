import type pg from 'pg';
import { AppError } from '../app-error';

export type Assignee = { id: string; email: string; name: string };

/** People an alert can be assigned to: enabled analysts and admins. */
export async function listAssignees(pool: pg.Pool): Promise<Assignee[]> {
  const result = await pool.query<Assignee>(
    `SELECT id, email, name FROM users WHERE role IN ('analyst', 'admin') AND NOT banned ORDER BY email`,
  );
  return result.rows;
}

/** The email of a user an alert or incident may be assigned to; refuses unknown, disabled and viewer accounts. */
export async function readAssignee(client: pg.ClientBase, assigneeId: string): Promise<string> {
  const result = await client.query<{ email: string; role: string; banned: boolean }>(
    `SELECT email, role, banned FROM users WHERE id = $1`,
    [assigneeId],
  );
  const user = result.rows[0];
  if (!user) throw new AppError('invalid', 'assignee: no such user');
  if (user.banned) throw new AppError('invalid', `assignee: ${user.email} is disabled`);
  if (user.role === 'viewer') throw new AppError('invalid', `assignee: ${user.email} is a viewer and cannot triage`);
  return user.email;
}
