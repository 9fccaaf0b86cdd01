'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

const sections = [
  { href: '/', label: 'Overview' },
  { href: '/alerts', label: 'Alerts' },
  { href: '/events', label: 'Events' },
  { href: '/rules', label: 'Rules' },
  { href: '/allowlist', label: 'Allowlist' },
  { href: '/uploads', label: 'Uploads' },
  { href: '/jobs', label: 'Jobs' },
] as const;

export function ConsoleNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Console" className="console-nav">
      <ul>
        {sections.map((section) => {
          const active = section.href === '/' ? pathname === '/' : pathname.startsWith(section.href);
          return (
            <li key={section.href}>
              <Link href={section.href} aria-current={active ? 'page' : undefined}>
                {section.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
