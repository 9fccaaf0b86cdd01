import Link from 'next/link';
import { outcomeSeries } from '@/components/charts/outcome-colors';
import { TimeBucketChart } from '@/components/charts/time-bucket-chart';
import { formatUtc } from '@/lib/format-time';
import { countEventsOverTime } from '@/lib/events/count-events-over-time';
import { connection } from 'next/server';
import { AuditEventTable, FileEventTable } from '@/components/data-table/events/event-tables';
import { Pager } from '@/components/data-table/pager';
import { formatCount } from '@/components/format-number';
import { PageHeader } from '@/components/page-header';
import { LinkTabs } from '@/components/ui/link-tabs';
import { requirePageActor } from '@/lib/auth/require-actor';
import { getPool } from '@/lib/db/pool';
import { readEvent } from '@/lib/events/read-event';
import {
  eventFormLabels,
  eventIdSchema,
  formatEventSearchParams,
  formatEventsHref,
  parseEventSearchParams,
  readTypedEventSearch,
} from '@/lib/events/schemas';
import { searchEvents } from '@/lib/events/search-events';
import { formatFirstIssue } from '@/lib/format-first-issue';
import { readOne, type SearchParams } from '@/lib/search-params';
import { EventDetailPanel } from './event-detail';
import { EventFilterForm } from './filter-form';
import { toInput } from './search-params';
import './events.css';

export const metadata = { title: 'Events' };

const FILE_SERIES = [{ key: 'events', label: 'file events', color: '#2457c5' }];

export default async function EventsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePageActor();
  await connection();
  const params = await searchParams;
  const parsed = parseEventSearchParams(params);
  const header = (
    <PageHeader
      title="Events"
      description="Every stored audit request and container file event: filter by any field, newest first."
    />
  );
  if (!parsed.success) {
    const typed = readTypedEventSearch(params);
    const problem = formatFirstIssue(parsed.error, eventFormLabels(typed.kind));
    return (
      <>
        {header}
        <EventFilterForm key={JSON.stringify(typed)} query={typed} problem={`${problem}.`} />
        <p>
          <Link href="/events">Start a new search</Link>
        </p>
      </>
    );
  }
  const query = parsed.data;
  const input = toInput(query);
  const pool = getPool();
  const openId = eventIdSchema.safeParse(readOne(params, 'event'));
  const [page, histogram, detail] = await Promise.all([
    searchEvents(pool, query),
    countEventsOverTime(pool, query),
    openId.success ? readEvent(pool, query.kind, openId.data) : Promise.resolve(null),
  ]);
  const current = { ...input, cursor: readOne(params, 'cursor') };
  const exportParams = formatEventSearchParams({ ...input, pageSize: undefined });
  const count = `${formatCount(page.total)}${page.totalIsLowerBound ? '+' : ''}`;
  return (
    <>
      {header}
      <LinkTabs
        label="Event kind"
        tabs={(['audit', 'file'] as const).map((kind) => ({
          key: kind,
          href: formatEventsHref({ kind }),
          current: query.kind === kind,
          content: kind === 'audit' ? 'Audit events' : 'File events',
        }))}
      />
      <EventFilterForm key={JSON.stringify(input)} query={input} />
      {openId.success && !detail ? (
        <section className="panel" role="alert">
          <p>
            No {query.kind} event {openId.data}.
          </p>
        </section>
      ) : null}
      {detail ? <EventDetailPanel detail={detail} closeHref={formatEventsHref(current)} /> : null}
      {histogram ? (
        <section className="panel" aria-label="Selection over time">
          <h2>Over time</h2>
          <TimeBucketChart
            label="Selected events over time"
            buckets={histogram.buckets}
            bucketMinutes={histogram.bucketMinutes}
            series={query.kind === 'audit' ? outcomeSeries : FILE_SERIES}
            height={160}
          />
          <p className="muted small">
            {formatCount(histogram.total)} {query.kind === 'audit' ? 'audit' : 'file'} events from{' '}
            {formatUtc(histogram.from)} to {formatUtc(histogram.to)}, {histogram.bucketMinutes}-minute buckets (UTC)
          </p>
        </section>
      ) : null}
      <section className="panel" aria-label="Results">
        <div className="results-head">
          <h2>
            {count} {query.kind === 'audit' ? 'audit events' : 'file events'}
          </h2>
          <span className="export-links">
            Export what this search selects:{' '}
            <a href={`/api/v1/events/export?format=csv&${exportParams}`} download>
              CSV
            </a>{' '}
            <a href={`/api/v1/events/export?format=ndjson&${exportParams}`} download>
              NDJSON
            </a>
          </span>
        </div>
        {query.kind === 'audit' ? (
          <AuditEventTable
            rows={page.rows.filter((row) => row.kind === 'audit')}
            query={current}
            openId={detail?.event.id}
            label="Audit events"
          />
        ) : (
          <FileEventTable
            rows={page.rows.filter((row) => row.kind === 'file')}
            query={current}
            openId={detail?.event.id}
            label="File events"
          />
        )}
        <Pager
          previous={
            query.cursor ? { href: formatEventsHref(input), text: query.order === 'asc' ? 'Oldest' : 'Newest' } : null
          }
          next={
            page.nextCursor
              ? {
                  href: formatEventsHref({ ...input, cursor: page.nextCursor }),
                  text: query.order === 'asc' ? 'Newer →' : 'Older →',
                  rel: 'next',
                }
              : null
          }
        />
      </section>
    </>
  );
}
