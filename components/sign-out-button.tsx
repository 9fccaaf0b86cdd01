'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';

export function SignOutButton() {
  const [busy, setBusy] = useState(false);
  const router = useRouter();
  async function signOut() {
    setBusy(true);
    await fetch('/api/auth/sign-out', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    router.replace('/sign-in');
    router.refresh();
  }
  return (
    <button type="button" className="sign-out" onClick={signOut} disabled={busy}>
      Sign out
    </button>
  );
}
