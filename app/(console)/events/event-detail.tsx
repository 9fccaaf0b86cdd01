// The explorer's open event: every field, the original document, and the same identity's
// activity five minutes either side.
import Link from 'next/link';
import { SeverityBadge, statusLabels } from '@/components/alerts/labels';
import { AuditEventTable, FileEventTable } from '@/components/data-table/events/event-tables';
import { IpLink, PodLink, UserLink } from '@/components/entities/entity-link';
import { podRequestFilter } from '@/components/entities/entity-event-query';
import { OriginalJson } from '@/components/events/original-json';
import { OutcomeLabel } from '@/components/events/outcome-label';
import { formatUtc } from '@/lib/format-time';
import type { EventDetail } from '@/lib/events/read-event';
import { formatEventsHref, type EventQueryInput } from '@/lib/events/schemas';
import { NoValue } from '@/components/ui/no-value';

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children ?? <NoValue />}</dd>
    </div>
  );
}

function AuditFields({ event }: { event: Extract<EventDetail['event'], { kind: 'audit' }> }) {
  return (
    <dl className="event-fields">
      <Field label="Time">{formatUtc(event.time)}</Field>
      <Field label="User">{event.username ? <UserLink name={event.username} /> : null}</Field>
      <Field label="Groups">{event.groups.length ? event.groups.join(', ') : null}</Field>
      <Field label="Source IP (last hop)">{event.sourceIp ? <IpLink ip={event.sourceIp} /> : null}</Field>
      <Field label="All source IPs">{event.sourceIps.length ? event.sourceIps.join(', ') : null}</Field>
      <Field label="User agent">{event.userAgent ? <code className="wrap">{event.userAgent}</code> : null}</Field>
      <Field label="Verb">{event.verb}</Field>
      <Field label="Resource">
        {event.resource ? `${event.resource}${event.subresource ? `/${event.subresource}` : ''}` : null}
      </Field>
      <Field label="Namespace / name">
        {event.namespace || event.name ? `${event.namespace ?? '(cluster)'} / ${event.name ?? '—'}` : null}
      </Field>
      <Field label="Request URI">{event.requestUri ? <code className="wrap">{event.requestUri}</code> : null}</Field>
      <Field label="Outcome">
        <OutcomeLabel outcome={event.outcome} /> {event.responseCode ?? ''}{' '}
        {event.decision ? `(${event.decision})` : ''}
      </Field>
      <Field label="Reason">{event.reason}</Field>
      <Field label="Pod">{event.podName ? <PodLink name={event.podName} username={event.username} /> : null}</Field>
      <Field label="Node">{event.nodeName}</Field>
      <Field label="Impersonated user">{event.impersonatedUser}</Field>
      <Field label="Cluster">{event.cluster}</Field>
      <Field label="Audit ID">{event.auditId}</Field>
      <Field label="Stages seen">{event.stages.join(', ')}</Field>
      <Field label="Source format">{event.sourceFormat}</Field>
    </dl>
  );
}

function FileFields({ event }: { event: Extract<EventDetail['event'], { kind: 'file' }> }) {
  return (
    <dl className="event-fields">
      <Field label="Time">{formatUtc(event.time)}</Field>
      <Field label="Pod">{event.podName ? <PodLink name={event.podName} namespace={event.namespace} /> : null}</Field>
      <Field label="Namespace">{event.namespace}</Field>
      <Field label="Action">{event.action}</Field>
      <Field label="Types">{event.types.length ? event.types.join(', ') : null}</Field>
      <Field label="Path">
        <code className="wrap">{event.path}</code>
      </Field>
      <Field label="Process">{event.processName}</Field>
      <Field label="Executable">{event.processExecutable}</Field>
      <Field label="Arguments">
        {event.processArgs.length ? <code className="wrap">{event.processArgs.join(' ')}</code> : null}
      </Field>
      <Field label="Process user">{event.processUser}</Field>
      <Field label="Interactive">{event.interactive === null ? null : event.interactive ? 'yes' : 'no'}</Field>
      <Field label="Container">{event.containerId}</Field>
      <Field label="Cluster">{event.cluster}</Field>
    </dl>
  );
}

/** The alerts this event is evidence of, each a link to its page. */
function EvidenceOf({ alerts }: { alerts: EventDetail['alerts'] }) {
  return (
    <section aria-label="Alerts this event is evidence of" className="evidence-of">
      <h3>Evidence of</h3>
      {alerts.length === 0 ? (
        <p className="muted small">No alert: this event is evidence of none.</p>
      ) : (
        <ul className="plain-list">
          {alerts.map((alert) => (
            <li key={alert.id}>
              <SeverityBadge severity={alert.severity} /> <Link href={`/alerts/${alert.id}`}>{alert.ruleName}</Link>{' '}
              <span className="muted small">
                {statusLabels[alert.status]}
                {alert.withdrawn ? ' · withdrawn' : ''} · first event {formatUtc(alert.firstEventAt)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function EventDetailPanel({ detail, closeHref }: { detail: EventDetail; closeHref: string }) {
  const { event, identity, around } = detail;
  const identityLabel =
    identity?.field === 'user'
      ? `user ${identity.value}`
      : identity?.field === 'sourceIp'
        ? `source IP ${identity.value}`
        : identity
          ? `pod ${identity.namespace ? `${identity.namespace}/` : ''}${identity.value}`
          : null;
  const aroundQuery: EventQueryInput = {
    kind: 'audit',
    filter:
      identity?.field === 'user'
        ? { user: identity.value }
        : identity?.field === 'sourceIp'
          ? { sourceIp: identity.value }
          : identity
            ? podRequestFilter(identity.value, identity.namespace)
            : {},
    from: around.from,
    to: around.to,
    order: 'asc',
  };
  return (
    <section className="panel event-detail" id="event-detail" aria-label="Event details">
      <div className="event-detail-head">
        <h2>
          {event.kind === 'audit' ? 'Audit event' : 'File event'} {event.id}
        </h2>
        <Link href={closeHref}>Close</Link>
      </div>
      {event.kind === 'audit' ? <AuditFields event={event} /> : <FileFields event={event} />}
      <EvidenceOf alerts={detail.alerts} />
      <OriginalJson source={detail.original ?? 'The original document was not kept.'} summary="Original JSON" open />
      <h3>
        Events around this one{' '}
        <span className="muted small">
          {identityLabel ? `same ${identityLabel}, ±5 minutes` : 'no identity to follow'}
        </span>
      </h3>
      {identity ? (
        <>
          <p className="small">
            <Link href={formatEventsHref(aroundQuery)}>Open them in the explorer</Link>
          </p>
          <AuditEventTable
            rows={around.audit}
            query={aroundQuery}
            openId={event.kind === 'audit' ? event.id : null}
            label="Audit events around this one"
            empty="No audit requests by this identity within five minutes."
          />
          {around.file.length ? (
            <FileEventTable
              rows={around.file}
              query={{
                kind: 'file',
                filter: around.pod ? { pod: around.pod.name, namespace: around.pod.namespace } : {},
                from: around.from,
                to: around.to,
              }}
              openId={event.kind === 'file' ? event.id : null}
              label="File events around this one"
            />
          ) : null}
        </>
      ) : null}
    </section>
  );
}
