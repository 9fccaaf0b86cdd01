import type { Metadata } from 'next';
import { UsersTable } from '@/components/data-table/users/users-table';
import { PageHeader } from '@/components/page-header';
import { requirePageActor } from '@/lib/auth/require-actor';
import { roleDescriptions, roles } from '@/lib/auth/roles';
import { listUsers } from '@/lib/auth/users';
import { getDb } from '@/lib/db/client';
import { CreateUserForm, UserRowControls } from './client';
import './users.css';

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
        <UsersTable
          rows={users.map((user) => ({
            ...user,
            controls: (
              <UserRowControls
                userId={user.id}
                email={user.email}
                role={user.role}
                disabled={user.disabled}
                self={user.id === actor.id}
              />
            ),
          }))}
        />
      </section>
      <section className="panel" aria-label="New account">
        <h2>New account</h2>
        <CreateUserForm />
      </section>
    </>
  );
}
