'use client';

import { useActionState } from 'react';
import { createFirstAdminAction, type SetupState } from './actions';

/** Signs the new admin in, as the sign-in page does; if that fails, the sign-in page takes over. */
async function signIn(email: string, password: FormDataEntryValue | null) {
  const response = await fetch('/api/auth/sign-in/email', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  }).catch(() => null);
  window.location.assign(response?.ok ? '/' : `/sign-in?created=1&email=${encodeURIComponent(email)}`);
}

export function SetupForm({ token }: { token: string }) {
  const [state, submit, busy] = useActionState<SetupState, FormData>(async (previous, form) => {
    const result = await createFirstAdminAction(token, previous, form);
    if (result && 'created' in result) await signIn(result.created, form.get('password'));
    return result;
  }, null);
  const signingIn = state !== null && 'created' in state;
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
      <button type="submit" disabled={busy || signingIn}>
        {signingIn ? 'Signing in…' : 'Create admin'}
      </button>
      {state && 'message' in state ? (
        <p className="error-text" role="alert">
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
