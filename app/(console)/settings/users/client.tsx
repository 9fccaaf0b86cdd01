'use client';

import { useActionState } from 'react';
import { roles, type Role } from '@/lib/auth/roles';
import { changeUserAction, createUserAction, type UserFormState } from './actions';

function Outcome({ state }: { state: UserFormState }) {
  if (!state) return null;
  return (
    <span className={state.ok ? 'ok-text' : 'error-text'} role={state.ok ? 'status' : 'alert'}>
      {state.message}
    </span>
  );
}

export function CreateUserForm() {
  const [state, submit, busy] = useActionState<UserFormState, FormData>(createUserAction, null);
  return (
    <form action={submit} className="inline-form" aria-label="New account">
      <label>
        Email
        <input type="email" name="email" required />
      </label>
      <label>
        Name
        <input name="name" required maxLength={120} />
      </label>
      <label>
        Role
        <select name="role" defaultValue="analyst">
          {roles.map((role) => (
            <option key={role}>{role}</option>
          ))}
        </select>
      </label>
      <label>
        Password (12+ characters)
        <input type="password" name="password" autoComplete="new-password" minLength={12} required />
      </label>
      <button type="submit" disabled={busy}>
        Create
      </button>
      <Outcome state={state} />
    </form>
  );
}

type RowProps = { userId: string; email: string; role: Role; disabled: boolean; self: boolean };

export function UserRowControls({ userId, email, role, disabled, self }: RowProps) {
  const [state, submit, busy] = useActionState<UserFormState, FormData>(changeUserAction, null);
  return (
    <div className="row-controls">
      <form action={submit} className="inline-form compact" aria-label={`Role of ${email}`}>
        <input type="hidden" name="userId" value={userId} />
        <input type="hidden" name="change" value="role" />
        <select name="role" defaultValue={role} aria-label="Role">
          {roles.map((option) => (
            <option key={option}>{option}</option>
          ))}
        </select>
        <button type="submit" disabled={busy}>
          Set role
        </button>
      </form>
      {self ? null : (
        <form action={submit} className="inline-form compact" aria-label={`Status of ${email}`}>
          <input type="hidden" name="userId" value={userId} />
          <input type="hidden" name="change" value={disabled ? 'enable' : 'disable'} />
          <button type="submit" disabled={busy} className={disabled ? undefined : 'danger'}>
            {disabled ? 'Enable' : 'Disable'}
          </button>
        </form>
      )}
      <form action={submit} className="inline-form compact" aria-label={`Password of ${email}`}>
        <input type="hidden" name="userId" value={userId} />
        <input type="hidden" name="change" value="password" />
        <input
          type="password"
          name="password"
          placeholder="new password"
          aria-label="New password"
          autoComplete="new-password"
          minLength={12}
          required
        />
        <button type="submit" disabled={busy}>
          Set password
        </button>
      </form>
      <Outcome state={state} />
    </div>
  );
}
