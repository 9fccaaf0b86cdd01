'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { formatUtcInput } from '@/lib/format-time';
import { checkFilterForm, readUtcTime } from '@/lib/search-params';
import {
  auditFilterFields,
  eventPageSizes,
  fileFilterFields,
  eventFormLabels,
  formatEventsHref,
  outcomes,
  type EventFilterField,
  type EventQueryInput,
} from '@/lib/events/schemas';

/** Shown at once; the rest sit under "More fields". */
const PRIMARY: Record<'audit' | 'file', EventFilterField[]> = {
  audit: ['cluster', 'user', 'sourceIp', 'verb', 'resource', 'namespace', 'name', 'outcome', 'pod'],
  file: ['cluster', 'pod', 'namespace', 'path', 'action', 'process', 'container'],
};

const placeholders: Partial<Record<EventFilterField, string>> = {
  name: 'db-* (* is a wildcard)',
  user: 'alice or system:serviceaccount:ns:*',
  path: '/var/run/secrets/*',
  responseCode: '403',
};

/** The explorer's filters; a refused search (`problem`, from the server) or a bad entry is said in the form, the values kept. */
export function EventFilterForm({
  query,
  problem = null,
}: {
  query: EventQueryInput & { kind: 'audit' | 'file' };
  problem?: string | null;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(problem);
  const fields: Record<string, string> = query.kind === 'audit' ? auditFilterFields : fileFilterFields;
  const primary = PRIMARY[query.kind];
  const secondary = (Object.keys(fields) as EventFilterField[]).filter((field) => !primary.includes(field));
  const filter = query.filter ?? {};

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const refused = checkFilterForm(form, eventFormLabels(query.kind));
    setError(refused);
    if (refused) return;
    const text = (name: string) => {
      const value = form.get(name);
      return typeof value === 'string' && value.trim() ? value.trim() : undefined;
    };
    router.push(
      formatEventsHref({
        kind: query.kind,
        filter: Object.fromEntries(Object.keys(fields).map((field) => [field, text(field)])),
        from: readUtcTime(text('from')),
        to: readUtcTime(text('to')),
        order: text('order') === 'asc' ? 'asc' : 'desc',
        pageSize: Number(text('pageSize') ?? 50),
      }),
    );
  }

  const input = (field: EventFilterField) => (
    <label key={field}>
      {fields[field]}
      {field === 'outcome' ? (
        <select name="outcome" defaultValue={filter.outcome ?? ''}>
          <option value="">Any</option>
          {outcomes.map((outcome) => (
            <option key={outcome} value={outcome}>
              {outcome === 'other' ? 'no outcome' : outcome}
            </option>
          ))}
        </select>
      ) : (
        <input name={field} defaultValue={filter[field] ?? ''} placeholder={placeholders[field]} />
      )}
    </label>
  );

  return (
    <form className="filter-bar event-filters" aria-label="Event filters" onSubmit={submit}>
      {primary.map(input)}
      <label>
        From (UTC)
        <input
          name="from"
          className="utc-input"
          defaultValue={query.from ? formatUtcInput(query.from) : ''}
          placeholder="2026-12-01 00:00:00"
        />
      </label>
      <label>
        To (UTC)
        <input
          name="to"
          className="utc-input"
          defaultValue={query.to ? formatUtcInput(query.to) : ''}
          placeholder="2026-12-01 23:59:59"
        />
      </label>
      <label>
        Order
        <select name="order" defaultValue={query.order ?? 'desc'}>
          <option value="desc">Newest first</option>
          <option value="asc">Oldest first</option>
        </select>
      </label>
      <label>
        Per page
        <select name="pageSize" defaultValue={String(query.pageSize ?? 50)}>
          {eventPageSizes.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </label>
      <details className="more-fields" open={secondary.some((field) => filter[field])}>
        <summary>More fields</summary>
        <div className="more-fields-grid">{secondary.map(input)}</div>
      </details>
      {error ? (
        <p role="alert" className="error-text filter-error">
          {error}
        </p>
      ) : null}
      <div className="filter-actions">
        <button type="submit">Search</button>
        <Link href={formatEventsHref({ kind: query.kind })}>Clear</Link>
      </div>
    </form>
  );
}
