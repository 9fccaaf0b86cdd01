import Link from 'next/link';
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { z } from 'zod';
import { closeReasonLabels, SeverityBadge, StatusBadge, statusLabels } from '@/components/alerts/labels';
import { TimeBucketChart } from '@/components/charts/time-bucket-chart';
import { OutcomeBreakdownChart } from '@/components/charts/outcome-breakdown-chart';
import { outcomeLabels, outcomeSeries } from '@/components/charts/outcome-colors';
import { formatUtc } from '@/components/format-time';
import { MarkdownGuide } from '@/components/markdown-guide';
import { listAssignees } from '@/lib/alerts/list-assignees';
import {
  listAlertActivity,
  listAlertEvidence,
  readAlert,
  readAlertOutcomes,
  readIdentityTimeline,
  type AlertActivityEntry,
} from '@/lib/alerts/read-alert';
import { evidencePageSchema, formatAlertQueueHref, type AlertFilter, type CloseReason } from '@/lib/alerts/schemas';
import { formatEventsHref } from '@/lib/events/schemas';
import { suggestConditions } from '@/lib/allowlist/suggest-conditions';
import { ipHref, podHref, userHref } from '@/lib/entities/entity-links';
import { requirePageActor } from '@/lib/auth/require-actor';
import { roleAllows } from '@/lib/auth/roles';
import { getPool } from '@/lib/db/pool';
import { readRuleGuide } from '@/lib/rules/read-rule-guide';
import { NoteForm, TriageControls } from './triage-controls';

export const metadata = { title: 'Alert' };

const PIVOT_MARGIN_MS = 24 * 3_600_000;

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

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

function describeActivity(entry: AlertActivityEntry) {
  const label = (value: string | null) =>
    value === null
      ? 'none'
      : (statusLabels[value as keyof typeof statusLabels] ?? closeReasonLabels[value as CloseReason] ?? value);
  switch (entry.kind) {
    case 'created':
      return 'raised the alert';
    case 'status':
      return entry.from === 'closed' && entry.to === 'open'
        ? 'reopened it'
        : `changed status from ${label(entry.from)} to ${label(entry.to)}`;
    case 'reason':
      return entry.from
        ? `changed the close reason from ${label(entry.from)} to ${label(entry.to)}`
        : `set the close reason to ${label(entry.to)}`;
    case 'assignee':
      return entry.to ? `assigned it to ${entry.to}` : `unassigned it (was ${entry.from})`;
    case 'note':
      return 'added a note';
    case 'evidence':
      return 'linked new evidence';
    default:
      return entry.kind;
  }
}

export default async function AlertPage({ params, searchParams }: Props) {
  const actor = await requirePageActor();
  await connection();
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  const pool = getPool();
  const alert = await readAlert(pool, id);
  if (!alert) notFound();
  const evidencePage = evidencePageSchema.parse((await searchParams).evidencePage);
  const [evidence, outcomes, timeline, history, guide, assignees] = await Promise.all([
    listAlertEvidence(pool, id, evidencePage),
    readAlertOutcomes(pool, id),
    readIdentityTimeline(pool, alert),
    listAlertActivity(pool, id),
    readRuleGuide(alert.ruleId),
    listAssignees(pool),
  ]);
  const canTriage = roleAllows(actor.role, 'triage');
  const evidencePages = Math.max(1, Math.ceil(evidence.total / evidence.pageSize));
  const otherIps = alert.sourceIps.filter((ip) => ip !== alert.sourceIp);
  const pivotRange = {
    from: new Date(new Date(alert.firstEventAt).getTime() - PIVOT_MARGIN_MS),
    to: new Date(new Date(alert.lastEventAt).getTime() + PIVOT_MARGIN_MS),
  };
  return (
    <>
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link href="/alerts">Alerts</Link> / <span>{alert.ruleName}</span>
      </nav>
      <header className="alert-header panel" aria-label="Alert summary">
        <div className="alert-title">
          <SeverityBadge severity={alert.severity} />
          <h1>{alert.ruleName}</h1>
          <StatusBadge status={alert.status} closeReason={alert.closeReason} />
        </div>
        <p className="muted">{alert.ruleDescription}</p>
        <dl className="alert-facts">
          <div>
            <dt>Risk</dt>
            <dd>{alert.riskScore}</dd>
          </div>
          <div>
            <dt>First event</dt>
            <dd>{formatUtc(alert.firstEventAt)}</dd>
          </div>
          <div>
            <dt>Last event</dt>
            <dd>{formatUtc(alert.lastEventAt)}</dd>
          </div>
          <div>
            <dt>Events</dt>
            <dd>{alert.eventCount}</dd>
          </div>
          <div>
            <dt>Assignee</dt>
            <dd>{alert.assignee?.email ?? 'Unassigned'}</dd>
          </div>
          <div>
            <dt>Cluster</dt>
            <dd>{alert.cluster ?? '—'}</dd>
          </div>
        </dl>
        {canTriage ? (
          <TriageControls
            alert={{
              id: alert.id,
              ruleId: alert.ruleId,
              ruleName: alert.ruleName,
              status: alert.status,
              closeReason: alert.closeReason,
              assigneeId: alert.assignee?.id ?? null,
            }}
            suggestion={suggestConditions(alert)}
            assignees={assignees}
            currentUserId={actor.id}
          />
        ) : null}
      </header>

      <div className="alert-columns">
        <section className="panel" aria-label="Entities">
          <h2>Entities</h2>
          <dl className="entities">
            <dt>User</dt>
            <dd>
              {alert.username ? (
                <EntityPivot href={userHref(alert.username, pivotRange)} filter={{ user: alert.username }} label="User">
                  {alert.username}
                </EntityPivot>
              ) : (
                '—'
              )}
            </dd>
            <dt>Source IP</dt>
            <dd>
              {alert.sourceIp ? (
                <>
                  <EntityPivot
                    href={ipHref(alert.sourceIp, pivotRange)}
                    filter={{ sourceIp: alert.sourceIp }}
                    label="Source IP"
                  >
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
                      <EntityPivot href={ipHref(ip, pivotRange)} filter={{ sourceIp: ip }} label="Source IP">
                        {ip}
                      </EntityPivot>{' '}
                      <span className="muted small">(client-supplied)</span>
                    </div>
                  ))}
                </dd>
              </>
            ) : null}
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
              {alert.entities.pods.length
                ? alert.entities.pods.map((pod) => (
                    <div key={`${pod.namespace}/${pod.name}`}>
                      {pod.namespace ? (
                        <EntityPivot
                          href={podHref(pod.namespace, pod.name, pivotRange)}
                          filter={{ pod: pod.name }}
                          label="Pod"
                        >
                          {pod.name}
                        </EntityPivot>
                      ) : (
                        <Pivot filter={{ pod: pod.name }} label="Pod">
                          {pod.name}
                        </Pivot>
                      )}
                      {pod.namespace ? <span className="muted small"> in {pod.namespace}</span> : null}
                    </div>
                  ))
                : '—'}
            </dd>
            <dt>Namespaces</dt>
            <dd>
              {alert.namespaces.length ? (
                <ul className="inline-list">
                  {alert.namespaces.map((namespace) => (
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
                      <Link
                        href={formatEventsHref({
                          filter: { node },
                          from: pivotRange.from.toISOString(),
                          to: pivotRange.to.toISOString(),
                        })}
                        className="pivot"
                      >
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
                  {alert.secretNames.map((name) => (
                    <li key={name}>
                      <Link
                        href={formatEventsHref({
                          filter: { resource: 'secrets', name },
                          from: pivotRange.from.toISOString(),
                          to: pivotRange.to.toISOString(),
                        })}
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

        <section className="panel" aria-label="MITRE ATT&CK">
          <h2>MITRE ATT&amp;CK</h2>
          <ul className="plain-list">
            {alert.mitre.map((entry) => {
              const technique = entry.subtechnique ?? entry.technique;
              return (
                <li key={`${entry.tactic.id}-${technique.id}`}>
                  <span className="muted small">
                    {entry.tactic.name} ({entry.tactic.id})
                  </span>
                  <div>
                    <code>{technique.id}</code> {technique.name}
                    {entry.subtechnique ? (
                      <span className="muted small">
                        {' '}
                        — {entry.technique.id} {entry.technique.name}
                      </span>
                    ) : null}
                  </div>
                </li>
              );
            })}
          </ul>
          <h2 className="spaced">Outcomes</h2>
          <OutcomeBreakdownChart breakdown={outcomes} />
        </section>
      </div>

      <section className="panel" aria-label="Identity timeline">
        <h2>
          {timeline.identity
            ? `Everything ${timeline.identity.value} did, 30 minutes either side`
            : 'Identity timeline'}
        </h2>
        {timeline.identity ? (
          <TimeBucketChart
            label="Identity timeline"
            series={outcomeSeries}
            buckets={timeline.buckets}
            bucketMinutes={timeline.bucketMinutes}
            highlight={{ from: alert.firstEventAt, to: alert.lastEventAt, label: "the alert's own events" }}
          />
        ) : (
          <p className="muted">The alert names no user, source IP or pod to follow.</p>
        )}
      </section>

      <section className="panel" aria-label="Investigation guide">
        <h2>Investigation guide</h2>
        {guide ? <MarkdownGuide source={guide} /> : <p className="muted">This rule has no guide.</p>}
      </section>

      <section className="panel" aria-label="Evidence">
        <h2>
          Evidence <span className="muted small">{evidence.total} audit event(s), in time order</span>
        </h2>
        <table className="table evidence-table">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Request</th>
              <th scope="col">User</th>
              <th scope="col">Source IP</th>
              <th scope="col">Outcome</th>
              <th scope="col">Original</th>
            </tr>
          </thead>
          <tbody>
            {evidence.events.map((event) => (
              <tr key={event.id}>
                <td className="nowrap small">{formatUtc(event.time)}</td>
                <td>
                  <code>{event.verb}</code> {event.resource}
                  {event.subresource ? `/${event.subresource}` : ''}{' '}
                  {event.name ? <strong className="wrap">{event.name}</strong> : null}
                  {event.namespace ? <span className="muted small"> in {event.namespace}</span> : null}
                  {event.userAgent ? <div className="muted small wrap">{event.userAgent}</div> : null}
                </td>
                <td className="wrap">{event.username ?? '—'}</td>
                <td className="nowrap">{event.sourceIp ?? '—'}</td>
                <td className="nowrap">
                  <span className={`outcome outcome-${event.outcome}`}>{outcomeLabels[event.outcome]}</span>{' '}
                  <span className="muted small">{event.responseCode ?? ''}</span>
                </td>
                <td>
                  {event.original ? (
                    <details className="original">
                      <summary>JSON</summary>
                      <pre>{event.original}</pre>
                    </details>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {evidencePages > 1 ? (
          <nav className="pager" aria-label="Evidence pages">
            {evidencePage > 1 ? <Link href={`/alerts/${id}?evidencePage=${evidencePage - 1}`}>← Earlier</Link> : null}
            <span>
              Page {evidencePage} of {evidencePages}
            </span>
            {evidencePage < evidencePages ? (
              <Link href={`/alerts/${id}?evidencePage=${evidencePage + 1}`}>Later →</Link>
            ) : null}
          </nav>
        ) : null}
        {evidence.fileEvents.length ? (
          <>
            <h3>Container file events</h3>
            <table className="table evidence-table">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Path</th>
                  <th scope="col">Process</th>
                  <th scope="col">Pod</th>
                  <th scope="col">Original</th>
                </tr>
              </thead>
              <tbody>
                {evidence.fileEvents.map((event) => (
                  <tr key={event.id}>
                    <td className="nowrap small">{formatUtc(event.time)}</td>
                    <td>
                      <code className="wrap">{event.path}</code> <span className="muted small">{event.action}</span>
                    </td>
                    <td>{event.processName ?? '—'}</td>
                    <td>
                      {event.podName ?? '—'}
                      {event.namespace ? <span className="muted small"> in {event.namespace}</span> : null}
                    </td>
                    <td>
                      <details className="original">
                        <summary>JSON</summary>
                        <pre>{event.original}</pre>
                      </details>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : null}
      </section>

      <section className="panel" aria-label="History">
        <h2>History</h2>
        <ol className="history">
          {history.map((entry) => (
            <li key={entry.id}>
              <span className="muted small nowrap">{formatUtc(entry.at)}</span> <strong>{entry.actorName}</strong>{' '}
              {describeActivity(entry)}
              {entry.note ? <blockquote className="history-note">{entry.note}</blockquote> : null}
            </li>
          ))}
        </ol>
        {canTriage ? <NoteForm alertId={alert.id} /> : null}
      </section>
    </>
  );
}
