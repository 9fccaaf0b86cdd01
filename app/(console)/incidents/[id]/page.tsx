import Link from 'next/link';
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { z } from 'zod';
import { SeverityBadge, StatusBadge } from '@/components/alerts/labels';
import { IpLink, PodLink, UserLink } from '@/components/entities/entity-link';
import { formatUtc } from '@/lib/format-time';
import { PageHeader } from '@/components/page-header';
import type { CloseReason } from '@/lib/alerts/schemas';
import { listAssignees } from '@/lib/alerts/list-assignees';
import { requirePageActor } from '@/lib/auth/require-actor';
import { roleAllows } from '@/lib/auth/roles';
import { getPool } from '@/lib/db/pool';
import { formatEventsHref } from '@/lib/events/schemas';
import { readIncident, type IncidentSecret, type StoryEvent } from '@/lib/incidents/read-incident';
import { describeEventGrant } from '@/lib/rbac/describe-event-grant';
import { describeGrant } from '@/lib/rbac/parse-authorization-reason';
import { CopyText, IncidentControls, RemoveAlertButton } from './incident-controls';
import '../incidents.css';
import { sortValues } from '@/components/ui/value-list';

const MINUTE = 60_000;

/** The explorer over a secret's requests, from its first read to its last (a minute either side). */
function secretReadsHref(secret: IncidentSecret): string {
  return formatEventsHref({
    filter: { resource: 'secrets', name: secret.name, ...(secret.namespace ? { namespace: secret.namespace } : {}) },
    from: new Date(Date.parse(secret.firstAt) - MINUTE).toISOString(),
    to: new Date(Date.parse(secret.lastAt) + MINUTE).toISOString(),
  });
}

export const metadata = { title: 'Incident' };

function Markers({ alertIds, order }: { alertIds: string[]; order: Map<string, number> }) {
  return (
    <>
      {alertIds
        .map((id) => order.get(id))
        .filter((index): index is number => index !== undefined)
        .sort((a, b) => a - b)
        .map((index) => (
          <span key={index} className="incident-marker" title={`alert ${index + 1}`}>
            A{index + 1}
          </span>
        ))}
    </>
  );
}

function EventRow({ event, order }: { event: StoryEvent; order: Map<string, number> }) {
  return (
    <tr>
      <td>{formatUtc(event.time)}</td>
      <td>
        <Markers alertIds={event.alertIds} order={order} />
      </td>
      <td>{event.username ? <UserLink name={event.username} /> : null}</td>
      <td>{[event.verb, event.resource, event.subresource].filter(Boolean).join(' ')}</td>
      <td>{[event.namespace, event.name].filter(Boolean).join('/')}</td>
      <td>
        {event.outcome}
        {event.responseCode ? ` ${event.responseCode}` : ''}
      </td>
      <td>{event.sourceIp ? <IpLink ip={event.sourceIp} /> : null}</td>
      <td>{describeEventGrant(event) ?? event.reason ?? ''}</td>
    </tr>
  );
}

export default async function IncidentPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageActor();
  await connection();
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  const pool = getPool();
  const [incident, assignees] = await Promise.all([readIncident(pool, id), listAssignees(pool)]);
  if (!incident) notFound();
  const canTriage = roleAllows(actor.role, 'triage');
  const order = new Map(incident.members.map((member, index) => [member.alertId, index]));
  const range =
    incident.firstEventAt && incident.lastEventAt
      ? { from: incident.firstEventAt, to: incident.lastEventAt }
      : undefined;
  return (
    <>
      <PageHeader title={incident.title} description="One story across the alerts this identity chain raised." />
      <section className="panel" aria-label="Summary">
        <p>
          <SeverityBadge severity={incident.severity} />{' '}
          <StatusBadge status={incident.status} closeReason={incident.closeReason as CloseReason | null} /> ·{' '}
          {incident.alertCount} alert(s) · {incident.firstEventAt ? formatUtc(incident.firstEventAt) : '—'} →{' '}
          {incident.lastEventAt ? formatUtc(incident.lastEventAt) : '—'} · assignee {incident.assignee ?? 'none'} ·{' '}
          {incident.clusters.length === 1 ? 'cluster' : 'clusters'} {incident.clusters.join(', ') || '—'}
        </p>
        {incident.mergedIntoId ? (
          <p role="status">
            Merged into <Link href={`/incidents/${incident.mergedIntoId}`}>another incident</Link>.
          </p>
        ) : null}
        <p>
          Report: <a href={`/api/v1/incidents/${incident.id}/report?format=markdown`}>Markdown</a> ·{' '}
          <a href={`/api/v1/incidents/${incident.id}/report?format=ndjson`}>NDJSON</a> · id <code>{incident.id}</code>
        </p>
      </section>
      {canTriage && !incident.mergedIntoId ? (
        <IncidentControls
          incidentId={incident.id}
          status={incident.status}
          assigneeId={incident.assigneeId}
          assignees={assignees}
        />
      ) : null}

      <section className="panel" aria-label="Alerts">
        <h2>Alerts</h2>
        <div className="table-scroll">
          <table className="table table-dense">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Rule</th>
                <th scope="col">Severity</th>
                <th scope="col">Status</th>
                <th scope="col">First event</th>
                <th scope="col">Identity</th>
                <th scope="col">Why it is here</th>
                {canTriage ? <th scope="col" /> : null}
              </tr>
            </thead>
            <tbody>
              {incident.members.map((member, index) => (
                <tr key={member.alertId}>
                  <td>
                    <span className="incident-marker">A{index + 1}</span>
                  </td>
                  <td>
                    <Link href={`/alerts/${member.alertId}`}>{member.ruleName}</Link>
                  </td>
                  <td>
                    <SeverityBadge severity={member.severity} />
                  </td>
                  <td>{member.status}</td>
                  <td>{formatUtc(member.firstEventAt)}</td>
                  <td>
                    {member.username ? <UserLink name={member.username} /> : null}
                    {member.podName ? (
                      <>
                        {' '}
                        pod <PodLink name={member.podName} namespace={member.podNamespace} />
                      </>
                    ) : null}
                  </td>
                  <td>{member.reason ?? 'first alert'}</td>
                  {canTriage ? (
                    <td>
                      <RemoveAlertButton incidentId={incident.id} alertId={member.alertId} />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <div className="incident-columns">
        <section className="panel" aria-label="Bindings that let it through">
          <h2>Bindings that let it through</h2>
          {incident.bindings.length === 0 ? (
            <p className="muted">No parsed RBAC reason on the evidence.</p>
          ) : (
            <ul>
              {incident.bindings.map((binding) => (
                <li
                  key={`${binding.bindingKind}/${binding.bindingNamespace}/${binding.bindingName}/${binding.subjectName}`}
                >
                  {describeGrant(binding)} to {binding.subjectKind} {binding.subjectName} · {binding.requests}{' '}
                  request(s)
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="panel" aria-label="Entities">
          <h2>Entities</h2>
          <ul>
            {incident.entities.users.map((user) => (
              <li key={`u-${user}`}>
                user <UserLink name={user} range={range} />
              </li>
            ))}
            {incident.entities.serviceAccounts.map((account) => (
              <li key={`sa-${account}`}>
                service account <UserLink name={account} range={range} />
              </li>
            ))}
            {incident.entities.ips.map((ip) => (
              <li key={`ip-${ip}`}>
                IP <IpLink ip={ip} range={range} />
              </li>
            ))}
            {incident.entities.pods.map((pod) => (
              <li key={`pod-${pod.namespace}/${pod.name}`}>
                pod <PodLink name={pod.name} namespace={pod.namespace} range={range} />
              </li>
            ))}
            {incident.entities.nodes.map((node) => (
              <li key={`node-${node}`}>node {node}</li>
            ))}
            {incident.entities.namespaces.length ? (
              <li>namespaces {sortValues(incident.entities.namespaces).join(', ')}</li>
            ) : null}
          </ul>
        </section>
      </div>

      <section className="panel" aria-label="Secrets">
        <h2>Secrets</h2>
        <div className="table-scroll">
          <table className="table table-dense">
            <thead>
              <tr>
                <th scope="col">Secret</th>
                <th scope="col">Read by</th>
                <th scope="col">Allowed</th>
                <th scope="col">Forbidden</th>
                <th scope="col">First</th>
                <th scope="col">Last</th>
              </tr>
            </thead>
            <tbody>
              {incident.secrets.map((secret) => (
                <tr key={`${secret.namespace}/${secret.name}`}>
                  <td>
                    <Link href={secretReadsHref(secret)} title="Every request for this secret in the incident's span">
                      {secret.namespace ? `${secret.namespace}/` : ''}
                      {secret.name}
                    </Link>
                  </td>
                  <td>{secret.readers.join(', ')}</td>
                  <td>{secret.allowed}</td>
                  <td>{secret.forbidden}</td>
                  <td>{formatUtc(secret.firstAt)}</td>
                  <td>{formatUtc(secret.lastAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="panel" aria-label="Story">
        <h2>Story</h2>
        {incident.fileEvents.length ? (
          <ul>
            {incident.fileEvents.map((file) => (
              <li key={file.id}>
                {formatUtc(file.time)} <Markers alertIds={file.alertIds} order={order} /> file {file.action} {file.path}{' '}
                by {file.processName ?? 'a process'} in pod {file.namespace ?? '?'}/{file.podName ?? '?'}
              </li>
            ))}
          </ul>
        ) : null}
        <div className="table-scroll">
          <table className="table table-dense" aria-label="Timeline">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Alerts</th>
                <th scope="col">Identity</th>
                <th scope="col">Request</th>
                <th scope="col">Object</th>
                <th scope="col">Outcome</th>
                <th scope="col">Source IP</th>
                <th scope="col">Authorization</th>
              </tr>
            </thead>
            <tbody>
              {incident.timeline.map((event) => (
                <EventRow key={event.id} event={event} order={order} />
              ))}
            </tbody>
          </table>
        </div>
        {incident.timeline.length >= incident.timelineLimit ? (
          <p className="muted">The first {incident.timelineLimit} events; the NDJSON report has all.</p>
        ) : null}
        <details>
          <summary>The identities&apos; other requests in the span ({incident.otherRequests.length})</summary>
          <div className="table-scroll">
            <table className="table table-dense">
              <tbody>
                {incident.otherRequests.map((event) => (
                  <EventRow key={event.id} event={{ ...event, alertIds: [] }} order={order} />
                ))}
              </tbody>
            </table>
          </div>
        </details>
      </section>

      <section className="panel" aria-label="Containment">
        <h2>Containment hints</h2>
        <p className="muted">
          Text to review and copy. Vigil never runs these; every value came from the logs and is shell-quoted.
        </p>
        {incident.containment.map((hint) => (
          <div key={hint.command} className="incident-hint">
            <p>{hint.why}</p>
            <pre>{hint.command}</pre>
            <CopyText text={hint.command} />
          </div>
        ))}
      </section>

      <section className="panel" aria-label="History">
        <h2>History</h2>
        <ul>
          {incident.history.map((entry) => (
            <li key={entry.id}>
              {formatUtc(entry.createdAt)} · {entry.actorName} · {entry.kind}
              {entry.fromValue || entry.toValue ? ` ${entry.fromValue ?? '—'} → ${entry.toValue ?? '—'}` : ''}
              {entry.note ? ` · ${entry.note}` : ''}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
