'use client';

import { useActionState } from 'react';
import { createFirstAdminAction, type SetupState } from './actions';

export function SetupForm({ token }: { token: string }) {
  const [state, submit, busy] = useActionState<SetupState, FormData>(createFirstAdminAction.bind(null, token), null);
  return (
    <form action={submit} className="auth-form" aria-label="First admin">
      <label>
        Name
        <input name="name" autoComplete="name" required maxLength={120} />
      </label>
      <label>
        Email
        <input type="email" name="email" autoComplete="username" required />
      </label>
      <label>
        Password (at least 12 characters)
        <input type="password" name="password" autoComplete="new-password" minLength={12} required />
      </label>
      <label>
        Password again
        <input type="password" name="confirm" autoComplete="new-password" minLength={12} required />
      </label>
      <button type="submit" disabled={busy}>
        Create admin
      </button>
      {state ? (
        <p className="error-text" role="alert">
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
