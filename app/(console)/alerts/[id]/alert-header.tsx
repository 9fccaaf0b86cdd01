import Link from 'next/link';
import { SeverityBadge, StatusBadge } from '@/components/alerts/labels';
import { formatUtc } from '@/lib/format-time';
import type { Assignee } from '@/lib/alerts/list-assignees';
import type { AlertDetail } from '@/lib/alerts/read-alert';
import { suggestConditions } from '@/lib/allowlist/suggest-conditions';
import { TriageControls } from './triage-controls';

/** Why the queue no longer lists this alert: detection no longer raises it as it stands. */
function WithdrawnNotice({ withdrawn }: { withdrawn: NonNullable<AlertDetail['withdrawn']> }) {
  return (
    <p className="withdrawn-notice" role="status">
      <strong>Withdrawn {formatUtc(withdrawn.at)}.</strong>{' '}
      {withdrawn.supersededBy ? (
        <>
          Events that arrived later moved its window: its evidence now belongs to{' '}
          <Link href={`/alerts/${withdrawn.supersededBy}`}>this alert</Link>.
        </>
      ) : (
        <>The stored events and current settings (rule parameters, allowlist) no longer raise it.</>
      )}{' '}
      Its triage and history are kept here.
    </p>
  );
}

/** The breadcrumb, then the alert's title, facts and (for those who may) its triage controls. */
export function AlertHeader({
  alert,
  triage,
}: {
  alert: AlertDetail;
  triage: { assignees: Assignee[]; currentUserId: string } | null;
}) {
  const facts: [string, string | number][] = [
    ['Risk', alert.riskScore],
    ['First event', formatUtc(alert.firstEventAt)],
    ['Last event', formatUtc(alert.lastEventAt)],
    ['Events', alert.eventCount],
    ['Assignee', alert.assignee?.email ?? 'Unassigned'],
    ['Cluster', alert.cluster ?? '—'],
  ];
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
        {alert.withdrawn ? <WithdrawnNotice withdrawn={alert.withdrawn} /> : null}
        <dl className="alert-facts">
          {facts.map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
        {triage ? (
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
            assignees={triage.assignees}
            currentUserId={triage.currentUserId}
          />
        ) : null}
      </header>
    </>
  );
}
