'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { Role } from '@/lib/auth/roles';

const sections = [
  { href: '/', label: 'Overview' },
  { href: '/alerts', label: 'Alerts' },
  { href: '/incidents', label: 'Incidents' },
  { href: '/events', label: 'Events' },
  { href: '/rules', label: 'Rules' },
  { href: '/allowlist', label: 'Allowlist' },
  { href: '/uploads', label: 'Uploads' },
  { href: '/jobs', label: 'Jobs' },
  { href: '/notifications', label: 'Deliveries' },
] as const;

const adminSections = [
  { href: '/settings/users', label: 'Users' },
  { href: '/settings/tokens', label: 'API tokens' },
  { href: '/settings/data', label: 'Data' },
  { href: '/settings/notifications', label: 'Notifications' },
] as const;

export function ConsoleNav({ role }: { role: Role }) {
  const pathname = usePathname();
  const link = (section: { href: string; label: string }) => {
    const active = section.href === '/' ? pathname === '/' : pathname.startsWith(section.href);
    return (
      <li key={section.href}>
        <Link href={section.href} aria-current={active ? 'page' : undefined}>
          {section.label}
        </Link>
      </li>
    );
  };
  return (
    <nav aria-label="Console" className="console-nav">
      <ul>{sections.map(link)}</ul>
      {role === 'admin' ? (
        <>
          <p className="nav-heading">Administration</p>
          <ul>{adminSections.map(link)}</ul>
        </>
      ) : null}
    </nav>
  );
}
