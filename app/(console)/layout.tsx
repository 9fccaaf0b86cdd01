import Link from 'next/link';
import { Suspense } from 'react';
import { ConsoleNav } from '@/components/console-nav';
import { SavedViewsNav } from '@/components/saved-views/saved-views-nav';
import { SignOutButton } from '@/components/sign-out-button';
import { ThemeSwitch } from '@/components/theme-switch';
import { requirePageActor } from '@/lib/auth/require-actor';
import { deleteViewAction, updateViewAction } from './views/actions';
import './console.css';

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const actor = await requirePageActor();
  return (
    <div className="console">
      <aside className="console-sidebar">
        <Link href="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>{' '}
          Vigil
        </Link>
        <p className="brand-tagline">Kubernetes secret-access investigations</p>
        <ConsoleNav role={actor.role} />
        <Suspense>
          <SavedViewsNav actions={{ update: updateViewAction, remove: deleteViewAction }} />
        </Suspense>
        <div className="signed-in" aria-label="Signed in">
          <span className="signed-in-name">{actor.name}</span>
          <span className="signed-in-email">{actor.email}</span>
          <span className={`badge role-${actor.role}`}>{actor.role}</span>
          <SignOutButton />
          <ThemeSwitch />
        </div>
      </aside>
      <main className="console-main">{children}</main>
    </div>
  );
}
