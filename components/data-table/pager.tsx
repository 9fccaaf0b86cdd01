import Link from 'next/link';
import type { ReactNode } from 'react';
import './pager.css';

type PagerLink = { href: string; text: string; rel?: string };

export const pageCount = (total: number, pageSize: number) => Math.max(1, Math.ceil(total / pageSize));

/** The links to the pages either side of `page` of `pages`, where there is one. */
export function neighbourLinks(
  page: number,
  pages: number,
  href: (page: number) => string,
  text: { previous: string; next: string },
): { previous: PagerLink | null; next: PagerLink | null } {
  return {
    previous: page > 1 ? { href: href(page - 1), text: text.previous } : null,
    next: page < pages ? { href: href(page + 1), text: text.next } : null,
  };
}

/** Paging under a table: numbered pages (alerts, evidence) or cursor links (events), and the page sizes. */
export function Pager({
  label = 'Pages',
  summary,
  previous,
  position,
  next,
  sizes,
}: {
  label?: string;
  summary?: ReactNode;
  previous?: PagerLink | null;
  position?: ReactNode;
  next?: PagerLink | null;
  sizes?: { current: number; options: readonly number[]; href: (size: number) => string };
}) {
  const link = (target: PagerLink) => (
    <Link href={target.href} rel={target.rel}>
      {target.text}
    </Link>
  );
  return (
    <nav className="pager" aria-label={label}>
      {summary ? <span className="muted">{summary}</span> : null}
      {previous ? link(previous) : null}
      {position ? <span>{position}</span> : null}
      {next ? link(next) : null}
      {sizes ? (
        <span className="page-size">
          Per page:{' '}
          {sizes.options.map((size) =>
            size === sizes.current ? (
              <strong key={size}>{size}</strong>
            ) : (
              <Link key={size} href={sizes.href(size)}>
                {size}
              </Link>
            ),
          )}
        </span>
      ) : null}
    </nav>
  );
}
