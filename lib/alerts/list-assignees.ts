import type pg from 'pg';

export type Assignee = { id: string; email: string; name: string };

/** People an alert can be assigned to: enabled analysts and admins. */
export async function listAssignees(pool: pg.Pool): Promise<Assignee[]> {
  const result = await pool.query<Assignee>(
    `SELECT id, email, name FROM users WHERE role IN ('analyst', 'admin') AND NOT banned ORDER BY email`,
  );
  return result.rows;
}
