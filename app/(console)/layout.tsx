import Link from 'next/link';
import { ConsoleNav } from '@/components/console-nav';

export default function ConsoleLayout({ children }: { children: React.ReactNode }) {
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
        <ConsoleNav />
      </aside>
      <main className="console-main">{children}</main>
    </div>
  );
}
