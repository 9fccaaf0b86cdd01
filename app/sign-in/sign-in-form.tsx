'use client';

import { useState } from 'react';

type Props = { next: string; email: string; insecureOrigin: boolean };

export function SignInForm({ next, email, insecureOrigin }: Props) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(form: FormData) {
    setBusy(true);
    setError(null);
    try {
      const response = await fetch('/api/auth/sign-in/email', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: form.get('email'), password: form.get('password') }),
      });
      if (response.ok) {
        window.location.assign(next);
        return;
      }
      const body = (await response.json().catch(() => ({}))) as { message?: string };
      setError(
        response.status === 429
          ? (body.message ?? 'Too many attempts. Wait a minute and try again.')
          : response.status === 401
            ? 'Wrong email or password.'
            : (body.message ?? `Sign-in failed (HTTP ${response.status}).`),
      );
    } catch {
      setError('Vigil did not answer. Is it running?');
    }
    setBusy(false);
  }

  return (
    <form
      className="auth-form"
      aria-label="Sign in"
      onSubmit={(event) => {
        // Not a form action: those reset the fields, and a mistyped password should not cost the email.
        event.preventDefault();
        void submit(new FormData(event.currentTarget));
      }}
    >
      <label>
        Email
        <input type="email" name="email" autoComplete="username" defaultValue={email} required autoFocus />
      </label>
      <label>
        Password
        <input type="password" name="password" autoComplete="current-password" required />
      </label>
      <button type="submit" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
      {insecureOrigin ? (
        <p className="muted small" role="note">
          This page is served over plain http: browsers drop Vigil&apos;s Secure session cookie here. Serve Vigil over
          HTTPS, or set VIGIL_PUBLIC_URL to this http:// address to allow it.
        </p>
      ) : null}
    </form>
  );
}
