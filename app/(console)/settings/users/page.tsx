import type { Metadata } from 'next';
import { PageHeader } from '@/components/page-header';
import { formatUtc } from '@/components/format-time';
import { requirePageActor } from '@/lib/auth/require-actor';
import { roleDescriptions, roles } from '@/lib/auth/roles';
import { listUsers } from '@/lib/auth/users';
import { getDb } from '@/lib/db/client';
import { CreateUserForm, UserRowControls } from './client';

export const metadata: Metadata = { title: 'Users' };

export default async function UsersPage() {
  const actor = await requirePageActor('admin');
  const users = await listUsers(getDb());
  return (
    <>
      <PageHeader title="Users" description="Who may sign in, and what each role may do." />
      <section className="panel" aria-label="Roles">
        <ul className="role-list">
          {roles.map((role) => (
            <li key={role}>
              <span className={`badge role-${role}`}>{role}</span> {roleDescriptions[role]}
            </li>
          ))}
        </ul>
      </section>
      <section className="panel" aria-label="Accounts">
        <h2>Accounts</h2>
        <table className="table">
          <thead>
            <tr>
              <th>Email</th>
              <th>Name</th>
              <th>Role</th>
              <th>Status</th>
              <th>Last sign-in</th>
              <th>Created</th>
              <th>Change</th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <tr key={user.id}>
                <td>{user.email}</td>
                <td>{user.name}</td>
                <td>
                  <span className={`badge role-${user.role}`}>{user.role}</span>
                </td>
                <td>{user.disabled ? <span className="status status-failed">disabled</span> : 'active'}</td>
                <td className="nowrap">{user.lastSignInAt ? formatUtc(user.lastSignInAt) : 'never'}</td>
                <td className="nowrap">{formatUtc(user.createdAt)}</td>
                <td>
                  <UserRowControls
                    userId={user.id}
                    email={user.email}
                    role={user.role}
                    disabled={user.disabled}
                    self={user.id === actor.id}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="panel" aria-label="New account">
        <h2>New account</h2>
        <CreateUserForm />
      </section>
    </>
  );
}
