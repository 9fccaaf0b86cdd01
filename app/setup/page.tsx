import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth-card';
import { isSetupTokenValid } from '@/lib/auth/first-run';
import { countUsers } from '@/lib/auth/users';
import { getDb } from '@/lib/db/client';
import { SetupForm } from './setup-form';

export const metadata: Metadata = { title: 'First admin' };

export default async function SetupPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  const token = (await searchParams).token;
  if ((await countUsers(getDb())) > 0) redirect('/sign-in');
  const valid = typeof token === 'string' && (await isSetupTokenValid(getDb(), token));
  return (
    <AuthCard title="Create the first admin">
      {valid ? (
        <SetupForm token={token} />
      ) : (
        <div className="auth-notice" role="alert">
          <p>This setup link is missing, used up or out of date.</p>
          <p>
            Use the link <code>npm start</code> printed last, or create the admin on the server:{' '}
            <code>npx vigil user create --role admin --email you@example.com</code>
          </p>
        </div>
      )}
    </AuthCard>
  );
}
