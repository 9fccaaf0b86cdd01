// What the three entity pages share: validation, the range, the heading and the profile.
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { requirePageActor } from '@/lib/auth/require-actor';
import { getPool } from '@/lib/db/pool';
import { isServiceAccount } from '@/lib/entities/entity-links';
import { readEntityProfile } from '@/lib/entities/read-entity';
import { entitySchema, parseEntityViewParams, type Entity } from '@/lib/entities/schemas';
import { formatFirstIssue } from '@/lib/format-first-issue';
import type { SearchParams } from '@/lib/search-params';
import { readTypedTimeRange, TIME_RANGE_LABELS } from '@/lib/time-range';
import { TimeRangeForm } from '../time-range-form';
import { EntityProfileView } from './entity-profile-view';
import './entities.css';

function describe(entity: Entity): { section: string; title: string; subtitle: string } {
  switch (entity.kind) {
    case 'user':
      return {
        section: 'Users',
        title: entity.name,
        subtitle: isServiceAccount(entity.name)
          ? 'Service account: what its tokens did, from which pods and nodes.'
          : 'User: every request made under this name.',
      };
    case 'ip':
      return {
        section: 'Source IPs',
        title: entity.ip,
        subtitle: 'Source IP: requests whose last hop (the address a client cannot forge) was this one.',
      };
    case 'pod':
      return {
        section: 'Pods',
        title: `${entity.namespace}/${entity.name}`,
        subtitle: "Pod: requests made with its service-account token, and its containers' file activity.",
      };
  }
}

export async function EntityPage({
  candidate,
  path,
  searchParams,
}: {
  candidate: unknown;
  path: string;
  searchParams: SearchParams;
}) {
  await requirePageActor();
  await connection();
  const entity = entitySchema.safeParse(candidate);
  if (!entity.success) notFound();
  const heading = describe(entity.data);
  const range = parseEntityViewParams(searchParams);
  return (
    <>
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <span>Entities</span> / <span>{heading.section}</span>
      </nav>
      <header className="page-header">
        <h1 className="entity-title">{heading.title}</h1>
        <p>{heading.subtitle}</p>
      </header>
      {range.success ? (
        <EntityProfileView profile={await readEntityProfile(getPool(), entity.data, range.data)} path={path} />
      ) : (
        <section className="panel" aria-label="Time range">
          <h2>Time range</h2>
          <TimeRangeForm
            path={path}
            range={readTypedTimeRange(searchParams)}
            anchor={null}
            defaultNote=""
            problem={`${formatFirstIssue(range.error, TIME_RANGE_LABELS)}.`}
          />
          <p>
            <Link href={path}>Show the latest days instead</Link>
          </p>
        </section>
      )}
    </>
  );
}
