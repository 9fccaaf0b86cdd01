import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { z } from 'zod';
import { listAssignees } from '@/lib/alerts/list-assignees';
import {
  listAlertActivity,
  listAlertEvidence,
  readAlert,
  readAlertOutcomes,
  readIdentityTimeline,
} from '@/lib/alerts/read-alert';
import { evidencePageSchema } from '@/lib/alerts/schemas';
import { requirePageActor } from '@/lib/auth/require-actor';
import { roleAllows } from '@/lib/auth/roles';
import { getPool } from '@/lib/db/pool';
import { readRuleGuide } from '@/lib/rules/read-rule-guide';
import { readAlertIncident } from '@/lib/incidents/read-incident';
import Link from 'next/link';
import type { PageParams } from '../search-params';
import { AlertHeader } from './alert-header';
import { EntitiesPanel } from './entities-panel';
import { EvidencePanel } from './evidence-panel';
import { GuidePanel } from './guide-panel';
import { HistoryPanel } from './history-panel';
import { MitrePanel } from './mitre-panel';
import { TimelinePanel } from './timeline-panel';
import './alert-page.css';
import { withTransaction } from '@/lib/db/with-transaction';
import { listDeliveries } from '@/lib/notifications/deliveries';
import { NotificationsPanel } from './notifications-panel';
import { readStoredTimeRange } from '@/lib/events/read-stored-time-range';

export const metadata = { title: 'Alert' };

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<PageParams>;
};

export default async function AlertPage({ params, searchParams }: Props) {
  const actor = await requirePageActor();
  await connection();
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  const pool = getPool();
  const alert = await readAlert(pool, id);
  if (!alert) notFound();
  const evidencePage = evidencePageSchema.parse((await searchParams).evidencePage);
  const [evidence, outcomes, timeline, history, guide, assignees, incident] = await Promise.all([
    listAlertEvidence(pool, id, evidencePage),
    readAlertOutcomes(pool, id),
    readIdentityTimeline(pool, alert),
    listAlertActivity(pool, id),
    readRuleGuide(alert.ruleId),
    listAssignees(pool),
    readAlertIncident(pool, id),
  ]);
  const notifications = await withTransaction(pool, (client) => listDeliveries(client, { alertId: id, limit: 50 }));
  const canTriage = roleAllows(actor.role, 'triage');
  return (
    <>
      <AlertHeader alert={alert} triage={canTriage ? { assignees, currentUserId: actor.id } : null} />
      {incident ? (
        <p className="panel" role="note">
          Part of incident <Link href={`/incidents/${incident.id}`}>{incident.title}</Link> ({incident.status})
        </p>
      ) : null}
      <div className="alert-columns">
        <EntitiesPanel alert={alert} stored={await readStoredTimeRange(pool)} />
        <MitrePanel mitre={alert.mitre} outcomes={outcomes} />
      </div>
      <TimelinePanel alert={alert} timeline={timeline} />
      <GuidePanel guide={guide} />
      <EvidencePanel alertId={alert.id} evidence={evidence} />
      <HistoryPanel alertId={alert.id} history={history} canNote={canTriage} />
      <NotificationsPanel deliveries={notifications} canResend={roleAllows(actor.role, 'admin')} />
    </>
  );
}
