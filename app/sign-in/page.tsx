import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth-card';
import { countUsers } from '@/lib/auth/users';
import { readSessionActor } from '@/lib/auth/read-session';
import { safeNextPath } from '@/lib/auth/safe-next-path';
import { getDb } from '@/lib/db/client';
import { getEnv } from '@/lib/env';
import { SignInForm } from './sign-in-form';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  const params = await searchParams;
  const next = safeNextPath(params.next);
  const requestHeaders = await headers();
  if (await readSessionActor(requestHeaders)) redirect(next);
  // Secure cookies are dropped on plain http except on loopback; warn before the sign-in silently fails.
  const host = (requestHeaders.get('host') ?? '').replace(/:\d+$/, '');
  const insecureOrigin =
    !getEnv().VIGIL_PUBLIC_URL?.startsWith('http://') &&
    requestHeaders.get('x-forwarded-proto') !== 'https' &&
    !['localhost', '127.0.0.1', '[::1]'].includes(host);
  const noAccounts = (await countUsers(getDb())) === 0;
  return (
    <AuthCard title="Sign in">
      {noAccounts ? (
        <div className="auth-notice" role="status">
          <p>
            No accounts exist yet. Create the first admin with the setup link that <code>npm start</code> printed,
          </p>
          <p>
            or on the server: <code>npx vigil user create --role admin --email you@example.com</code>
          </p>
        </div>
      ) : null}
      {params.created === '1' ? (
        <p className="ok-text" role="status">
          Account created. Sign in with it.
        </p>
      ) : null}
      <SignInForm
        next={next}
        email={typeof params.email === 'string' ? params.email : ''}
        insecureOrigin={insecureOrigin}
      />
    </AuthCard>
  );
}
