// The body of every entity page: one profile, whatever the entity.
import Link from 'next/link';
import { formatAlertQueueHref, type AlertFilter } from '@/lib/alerts/schemas';
import { DEFAULT_ENTITY_DAYS, type EntityProfile, type SeenValue } from '@/lib/entities/read-entity';
import type { Entity } from '@/lib/entities/schemas';
import { formatEventsHref, type EventQueryInput } from '@/lib/events/schemas';
import { outcomeSeries } from '../charts/outcome-colors';
import { TimeBucketChart } from '../charts/time-bucket-chart';
import { RelatedAlertsTable } from '../data-table/alerts/related-alerts-table';
import { SecretsTable } from '../data-table/entities/secrets-table';
import { SeenTable } from '../data-table/entities/seen-table';
import { FileEventTable } from '../data-table/events/event-tables';
import { formatCount } from '../format-number';
import { formatUtc } from '@/lib/format-time';
import { TimeRangeForm } from '../time-range-form';
import { IpLink, PodLink, UserLink } from './entity-link';
import { entityEventQuery, narrowEventsHref } from './entity-event-query';
import './entities.css';

function entityAlertFilter(entity: Entity): Partial<AlertFilter> {
  return entity.kind === 'user'
    ? { user: entity.name }
    : entity.kind === 'ip'
      ? { sourceIp: entity.ip }
      : { pod: entity.name };
}

/** "25 newest of 73" when a list is cut, else its size. */
function ShownOf({ list }: { list: { rows: unknown[]; total: number } }) {
  return list.total > list.rows.length
    ? `${list.rows.length} newest of ${formatCount(list.total)}`
    : formatCount(list.total);
}

/** Verbs as columns, resources as rows: each cell opens those events in the explorer. */
function VerbMatrix({ profile, base }: { profile: EntityProfile; base: EventQueryInput }) {
  const verbs = [...new Set(profile.verbsByResource.map((row) => row.verb))].sort();
  const resources = [...new Set(profile.verbsByResource.map((row) => row.resource ?? ''))];
  const cell = new Map(profile.verbsByResource.map((row) => [`${row.resource ?? ''}\u0000${row.verb}`, row]));
  if (!verbs.length) return <p className="muted">No requests in this range.</p>;
  return (
    <div className="table-scroll">
      <table className="table matrix" aria-label="Verbs by resource">
        <thead>
          <tr>
            <th scope="col">Resource</th>
            {verbs.map((verb) => (
              <th key={verb} scope="col" className="num">
                {verb}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {resources.map((resource) => (
            <tr key={resource}>
              <th scope="row">{resource || <span className="muted">(non-resource URL)</span>}</th>
              {verbs.map((verb) => {
                const entry = cell.get(`${resource}\u0000${verb}`);
                if (!entry) return <td key={verb} className="num" />;
                const href = narrowEventsHref(base, { verb, ...(resource ? { resource } : {}) });
                return (
                  <td key={verb} className="num">
                    <Link
                      href={href}
                      title={`${entry.allowed} allowed, ${entry.forbidden} forbidden, ${entry.other} no outcome`}
                    >
                      {formatCount(entry.total)}
                    </Link>
                    {entry.forbidden ? (
                      <div className="outcome-forbidden small">{formatCount(entry.forbidden)} forbidden</div>
                    ) : null}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const valueOf = (entry: SeenValue) => entry.value;

/** What an entity was seen with (values, or pods), most requests first. */
function SeenList<T extends { count: number; lastSeen: string }>({
  title,
  values,
  keyOf,
  render,
  empty,
}: {
  title: string;
  values: T[];
  keyOf: (entry: T) => string;
  render: (entry: T) => React.ReactNode;
  empty: string;
}) {
  return (
    <section className="panel" aria-label={title}>
      <h2>{title}</h2>
      {values.length ? (
        <SeenTable
          rows={values.map((entry) => ({ ...entry, key: keyOf(entry), value: render(entry) }))}
          label={title}
        />
      ) : (
        <p className="muted">{empty}</p>
      )}
    </section>
  );
}

/** Which clusters the entity acted in, each narrowing the page to itself; shown once there are several or one is chosen. */
function ClusterPanel({ profile, path }: { profile: EntityProfile; path: string }) {
  if (profile.clusters.length < 2 && !profile.cluster) return null;
  const href = (cluster: string | null) => {
    const params = new URLSearchParams();
    if (profile.range.explicit) {
      params.set('from', profile.range.from);
      params.set('to', profile.range.to);
    }
    if (cluster) params.set('cluster', cluster);
    return `${path}?${params}`;
  };
  return (
    <section className="panel" aria-label="Clusters">
      <h2>
        Per cluster{' '}
        <span className="muted small">
          {profile.cluster ? (
            <>
              showing <strong>{profile.cluster}</strong> only · <Link href={href(null)}>All clusters</Link>
            </>
          ) : (
            `seen in ${formatCount(profile.clusters.length)} clusters`
          )}
        </span>
      </h2>
      <SeenTable
        label="Clusters"
        rows={profile.clusters.map((entry) => ({
          ...entry,
          key: entry.value,
          value:
            entry.value === profile.cluster ? (
              <strong aria-current="true">{entry.value}</strong>
            ) : (
              <Link href={href(entry.value)} className="pivot" aria-label={`Only cluster ${entry.value}`}>
                {entry.value}
              </Link>
            ),
        }))}
      />
    </section>
  );
}

export function EntityProfileView({ profile, path }: { profile: EntityProfile; path: string }) {
  const { entity, range } = profile;
  const unscoped = entityEventQuery(entity, range);
  const base = profile.cluster ? { ...unscoped, filter: { ...unscoped.filter, cluster: profile.cluster } } : unscoped;
  const clusterFilter: Record<string, string> = profile.cluster ? { cluster: profile.cluster } : {};
  const explorer = (filter: EventQueryInput['filter']) => narrowEventsHref(base, filter);
  const linkRange = { from: range.from, to: range.to };
  if (!profile.firstSeen) {
    return (
      <section className="panel" role="status" aria-label="Never seen">
        <h2>Never seen</h2>
        <p className="muted">
          No stored audit request{entity.kind === 'pod' ? ' or file event' : ''} names this{' '}
          {entity.kind === 'ip' ? 'source IP' : entity.kind}, at any time. Check the spelling, or look for it in the{' '}
          <Link href="/events">events explorer</Link>.
        </p>
      </section>
    );
  }
  return (
    <>
      <section className="panel entity-summary" aria-label="Summary">
        <dl className="alert-facts">
          <div>
            <dt>First seen</dt>
            <dd>{profile.firstSeen ? formatUtc(profile.firstSeen) : 'never'}</dd>
          </div>
          <div>
            <dt>Last seen</dt>
            <dd>{profile.lastSeen ? formatUtc(profile.lastSeen) : 'never'}</dd>
          </div>
          <div>
            <dt>Requests in range</dt>
            <dd>{formatCount(profile.totals.events)}</dd>
          </div>
          <div>
            <dt>Allowed</dt>
            <dd className="outcome-allowed">{formatCount(profile.totals.allowed)}</dd>
          </div>
          <div>
            <dt>Forbidden</dt>
            <dd className="outcome-forbidden">{formatCount(profile.totals.forbidden)}</dd>
          </div>
          <div>
            <dt>Alerts in range</dt>
            <dd>{formatCount(profile.alerts.total)}</dd>
          </div>
        </dl>
        <p className="entity-actions">
          <Link href={formatEventsHref(base)}>All these requests in the events explorer</Link>
          <Link
            href={formatAlertQueueHref({
              filter: { status: undefined, ...entityAlertFilter(entity), ...clusterFilter },
            })}
          >
            Every alert for it
          </Link>
          {entity.kind === 'pod' ? (
            <Link
              href={formatEventsHref({
                kind: 'file',
                filter: { pod: entity.name, namespace: entity.namespace, ...clusterFilter },
                from: range.from,
                to: range.to,
              })}
            >
              Its file events in the explorer
            </Link>
          ) : null}
        </p>
        <TimeRangeForm
          path={path}
          range={range}
          anchor={profile.lastSeen}
          keep={clusterFilter}
          defaultNote={`its latest ${DEFAULT_ENTITY_DAYS * 24} hours of activity, from its first event at the earliest`}
        />
      </section>

      <ClusterPanel profile={profile} path={path} />

      <section className="panel" aria-label="Activity over time">
        <h2>Activity over time</h2>
        <TimeBucketChart
          label="Activity over time"
          series={outcomeSeries}
          buckets={profile.activity.buckets}
          bucketMinutes={profile.activity.bucketMinutes}
        />
      </section>

      <section className="panel" aria-label="Related alerts">
        <h2>
          Related alerts{' '}
          <span className="muted small">
            <ShownOf list={profile.alerts} />
          </span>
        </h2>
        <RelatedAlertsTable rows={profile.alerts.rows} label="Related alerts" />
      </section>

      <section className="panel" aria-label="Verbs by resource">
        <h2>Verbs × resources</h2>
        <VerbMatrix profile={profile} base={base} />
      </section>

      <section className="panel" aria-label="Bindings">
        <h2>RBAC bindings its requests were allowed by</h2>
        {profile.bindings.rows.length ? (
          <ul>
            {profile.bindings.rows.map((binding) => (
              <li key={`${binding.bindingKind}/${binding.bindingNamespace}/${binding.bindingName}/${binding.roleName}`}>
                {binding.bindingKind} {binding.bindingNamespace ? `${binding.bindingNamespace}/` : ''}
                {binding.bindingName} → {binding.roleKind} {binding.roleName}{' '}
                <span className="muted small">
                  {formatCount(binding.count)} request(s), last {formatUtc(binding.lastSeen)}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No request in this range names an RBAC binding.</p>
        )}
        {profile.bindings.unparsed ? (
          <p className="muted small">
            {formatCount(profile.bindings.unparsed)} request(s) carry an authorization reason that is not an RBAC grant
            (kept verbatim on each event).
          </p>
        ) : null}
      </section>

      <section className="panel" aria-label="Secrets touched">
        <h2>Secrets touched</h2>
        {profile.secrets.length ? (
          <SecretsTable rows={profile.secrets} base={base} />
        ) : (
          <p className="muted">No secret was read, listed or changed in this range.</p>
        )}
      </section>

      <div className="entity-columns">
        {entity.kind !== 'user' ? (
          <SeenList
            title="Users"
            values={profile.users}
            keyOf={valueOf}
            render={({ value }) => <UserLink name={value} range={linkRange} />}
            empty="No user in this range."
          />
        ) : null}
        {entity.kind !== 'ip' ? (
          <SeenList
            title="Source IPs"
            values={profile.sourceIps}
            keyOf={valueOf}
            render={({ value }) => <IpLink ip={value} range={linkRange} />}
            empty="No source IP in this range."
          />
        ) : null}
        <SeenList
          title="User agents"
          values={profile.userAgents}
          keyOf={valueOf}
          render={({ value }) => (
            <Link href={explorer({ userAgent: value })} className="pivot">
              <code className="wrap">{value}</code>
            </Link>
          )}
          empty="No user agent in this range."
        />
        {entity.kind !== 'pod' && profile.pods.length ? (
          <SeenList
            title="Pods"
            values={profile.pods}
            keyOf={(pod) => `${pod.namespace}/${pod.name}`}
            render={(pod) => (
              <>
                <PodLink name={pod.name} namespace={pod.namespace} range={linkRange} />
                {pod.namespace ? <span className="muted small"> in {pod.namespace}</span> : null}
              </>
            )}
            empty="No pod in this range."
          />
        ) : null}
        <SeenList
          title="Nodes"
          values={profile.nodes}
          keyOf={valueOf}
          render={({ value }) => (
            <Link href={explorer({ node: value })} className="pivot">
              {value}
            </Link>
          )}
          empty="No node in this range."
        />
      </div>

      {profile.fileEvents ? (
        <section className="panel" aria-label="File events">
          <h2>
            File events{' '}
            <span className="muted small">
              <ShownOf list={profile.fileEvents} />
            </span>
          </h2>
          <FileEventTable
            rows={profile.fileEvents.rows}
            query={{
              kind: 'file',
              filter: entity.kind === 'pod' ? { pod: entity.name, namespace: entity.namespace, ...clusterFilter } : {},
              from: range.from,
              to: range.to,
            }}
            label="File events"
            empty="No file events in this range."
          />
        </section>
      ) : null}
    </>
  );
}
