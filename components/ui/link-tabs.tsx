import Link from 'next/link';
import type { ReactNode } from 'react';
import './link-tabs.css';

export type LinkTab = { key: string; href: string; current: boolean; content: ReactNode };

/** Tabs that are links: the view they select lives in the URL. */
export function LinkTabs({ label, tabs }: { label: string; tabs: LinkTab[] }) {
  return (
    <nav className="tabs" aria-label={label}>
      {tabs.map((tab) => (
        <Link key={tab.key} href={tab.href} aria-current={tab.current ? 'true' : undefined} className="tab">
          {tab.content}
        </Link>
      ))}
    </nav>
  );
}
