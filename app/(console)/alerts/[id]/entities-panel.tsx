import Link from 'next/link';
import type { AlertDetail } from '@/lib/alerts/read-alert';
import { formatAlertQueueHref, type AlertFilter } from '@/lib/alerts/schemas';
import { ipHref, podHref, userHref } from '@/lib/entities/entity-links';
import { formatEventsHref, type EventQueryInput } from '@/lib/events/schemas';
import { sortValues } from '@/components/ui/value-list';

const PIVOT_MARGIN_MS = 24 * 3_600_000;

type Range = { from: Date; to: Date };

function Pivot({ filter, children, label }: { filter: Partial<AlertFilter>; children: string; label: string }) {
  return (
    <Link href={formatAlertQueueHref({ filter })} className="pivot" aria-label={`${label} ${children}: all alerts`}>
      {children}
    </Link>
  );
}

/** The entity's own page (a day either side of the alert), and its alerts in the queue. */
function EntityPivot({
  href,
  filter,
  children,
  label,
}: {
  href: string;
  filter: Partial<AlertFilter>;
  children: string;
  label: string;
}) {
  return (
    <>
      <Link href={href} className="pivot" aria-label={`${label} ${children}: everything it did`}>
        {children}
      </Link>{' '}
      <Link
        href={formatAlertQueueHref({ filter })}
        className="small secondary-link"
        aria-label={`${label} ${children}: all alerts`}
      >
        alerts
      </Link>
    </>
  );
}

/** The explorer on the same day-either-side range, filtered. */
function explorerHref(filter: EventQueryInput['filter'], range: Range) {
  return formatEventsHref({ filter, from: range.from.toISOString(), to: range.to.toISOString() });
}

function SourceIps({ alert, range }: { alert: AlertDetail; range: Range }) {
  const otherIps = alert.sourceIps.filter((ip) => ip !== alert.sourceIp);
  return (
    <>
      <dt>Source IP</dt>
      <dd>
        {alert.sourceIp ? (
          <>
            <EntityPivot href={ipHref(alert.sourceIp, range)} filter={{ sourceIp: alert.sourceIp }} label="Source IP">
              {alert.sourceIp}
            </EntityPivot>{' '}
            <span className="muted small">(last hop: the one a client cannot forge)</span>
          </>
        ) : (
          '—'
        )}
      </dd>
      {otherIps.length ? (
        <>
          <dt>Other source IPs</dt>
          <dd>
            {otherIps.map((ip) => (
              <div key={ip}>
                <EntityPivot href={ipHref(ip, range)} filter={{ sourceIp: ip }} label="Source IP">
                  {ip}
                </EntityPivot>{' '}
                <span className="muted small">(client-supplied)</span>
              </div>
            ))}
          </dd>
        </>
      ) : null}
    </>
  );
}

function Pods({ pods, range }: { pods: AlertDetail['entities']['pods']; range: Range }) {
  if (!pods.length) return '—';
  return pods.map((pod) => (
    <div key={`${pod.namespace}/${pod.name}`}>
      {pod.namespace ? (
        <EntityPivot href={podHref(pod.namespace, pod.name, range)} filter={{ pod: pod.name }} label="Pod">
          {pod.name}
        </EntityPivot>
      ) : (
        <Pivot filter={{ pod: pod.name }} label="Pod">
          {pod.name}
        </Pivot>
      )}
      {pod.namespace ? <span className="muted small"> in {pod.namespace}</span> : null}
    </div>
  ));
}

/** Who and what the alert names, each a pivot to its own page, the queue or the explorer. */
/** `stored`: the time range of all stored events; the pivots' day either side is cut to it (whole minutes). */
export function EntitiesPanel({ alert, stored = null }: { alert: AlertDetail; stored?: Range | null }) {
  const minute = 60_000;
  const range = {
    from: new Date(
      Math.max(
        new Date(alert.firstEventAt).getTime() - PIVOT_MARGIN_MS,
        stored ? Math.floor(stored.from.getTime() / minute) * minute : -Infinity,
      ),
    ),
    to: new Date(
      Math.min(
        new Date(alert.lastEventAt).getTime() + PIVOT_MARGIN_MS,
        stored ? Math.ceil(stored.to.getTime() / minute) * minute : Infinity,
      ),
    ),
  };
  return (
    <section className="panel" aria-label="Entities">
      <h2>Entities</h2>
      <dl className="entities">
        <dt>Cluster</dt>
        <dd>
          {alert.entities.clusters.length ? (
            <ul className="inline-list">
              {alert.entities.clusters.map((cluster) => (
                <li key={cluster}>
                  <Pivot filter={{ cluster }} label="Cluster">
                    {cluster}
                  </Pivot>{' '}
                  <Link
                    href={explorerHref({ cluster }, range)}
                    className="small secondary-link"
                    aria-label={`Cluster ${cluster}: its events`}
                  >
                    events
                  </Link>
                </li>
              ))}
            </ul>
          ) : (
            '—'
          )}
        </dd>
        <dt>User</dt>
        <dd>
          {alert.username ? (
            <EntityPivot href={userHref(alert.username, range)} filter={{ user: alert.username }} label="User">
              {alert.username}
            </EntityPivot>
          ) : (
            '—'
          )}
        </dd>
        <SourceIps alert={alert} range={range} />
        <dt>User agent</dt>
        <dd>
          {alert.entities.userAgents.length
            ? alert.entities.userAgents.map((agent) => (
                <div key={agent}>
                  <code className="wrap">{agent}</code>
                </div>
              ))
            : '—'}
        </dd>
        <dt>Pod</dt>
        <dd>
          <Pods pods={alert.entities.pods} range={range} />
        </dd>
        <dt>Namespaces</dt>
        <dd>
          {alert.namespaces.length ? (
            <ul className="inline-list">
              {sortValues(alert.namespaces).map((namespace) => (
                <li key={namespace}>
                  <Pivot filter={{ namespace }} label="Namespace">
                    {namespace}
                  </Pivot>
                </li>
              ))}
            </ul>
          ) : (
            '—'
          )}
        </dd>
        <dt>Node</dt>
        <dd>
          {alert.entities.nodes.length
            ? alert.entities.nodes.map((node) => (
                <div key={node}>
                  <Link href={explorerHref({ node }, range)} className="pivot clip-text" title={node}>
                    {node}
                  </Link>
                </div>
              ))
            : '—'}
        </dd>
        <dt>Secrets touched</dt>
        <dd>
          {alert.secretNames.length ? (
            <ul className="inline-list">
              {sortValues(alert.secretNames).map((name) => (
                <li key={name}>
                  <Link
                    href={explorerHref({ resource: 'secrets', name }, range)}
                    className="pivot"
                    title="Every request for this secret, a day either side"
                  >
                    <code>{name}</code>
                  </Link>
                </li>
              ))}
            </ul>
          ) : (
            '—'
          )}
        </dd>
      </dl>
    </section>
  );
}
