// Everything the incident page and its report show: the incident, its members and why each joined, the
// story (every member's evidence in one timeline, the pod's file events, the identity's other requests in
// the span), the entities across members, the per-secret table, the bindings that let the attacker through,
// containment hints and the history.
import type pg from 'pg';
import { OUTCOME_SQL } from '../events/outcome-sql';
import {
  AUDIT_EVENT_COLUMNS,
  FILE_EVENT_COLUMNS,
  toAuditEventRow,
  toFileEventRow,
  type AuditEventRow,
  type FileEventRow,
} from '../events/search-events';
import type { RbacGrant } from '../rbac/parse-authorization-reason';
import { isServiceAccount, serviceAccountNamespace } from '../vocabulary/service-account';
import { buildContainmentHints, type ContainmentHint } from './containment-hints';
import { podNamespaceOf } from './group-alerts';
import { INCIDENT_SUMMARY_SELECT, toIncidentSummary, type IncidentSummary } from './list-incidents';

export type IncidentMember = {
  alertId: string;
  ruleId: string;
  ruleName: string;
  severity: string;
  status: string;
  firstEventAt: string;
  lastEventAt: string;
  eventCount: number;
  username: string | null;
  podName: string | null;
  podNamespace: string | null;
  sourceIps: string[];
  secretNames: string[];
  joinedWith: string | null;
  reason: string | null;
};

export type StoryEvent = AuditEventRow & { alertIds: string[] };
export type StoryFileEvent = FileEventRow & { alertIds: string[] };

export type IncidentSecret = {
  namespace: string | null;
  name: string;
  readers: string[];
  allowed: number;
  forbidden: number;
  firstAt: string;
  lastAt: string;
};

export type IncidentBinding = RbacGrant & { requests: number; firstAt: string; lastAt: string };

export type IncidentHistoryEntry = {
  id: string;
  actorName: string;
  kind: string;
  fromValue: string | null;
  toValue: string | null;
  note: string | null;
  alertId: string | null;
  createdAt: string;
};

export type IncidentEntities = {
  users: string[];
  serviceAccounts: string[];
  ips: string[];
  pods: { namespace: string | null; name: string }[];
  nodes: string[];
  secrets: { namespace: string | null; name: string }[];
  namespaces: string[];
};

export type IncidentDetail = IncidentSummary & {
  mergedIntoId: string | null;
  clusters: string[];
  members: IncidentMember[];
  entities: IncidentEntities;
  timeline: StoryEvent[];
  /** The timeline was cut at this many events. */
  timelineLimit: number;
  fileEvents: StoryFileEvent[];
  /** The members' identities' requests in the incident's span that no alert holds: context, collapsed. */
  otherRequests: AuditEventRow[];
  secrets: IncidentSecret[];
  bindings: IncidentBinding[];
  containment: ContainmentHint[];
  history: IncidentHistoryEntry[];
};

const TIMELINE_LIMIT = 2000;
/** What an export may ask for: every member's evidence of any real incident. */
export const MAX_TIMELINE_LIMIT = 200_000;
const OTHER_REQUESTS_LIMIT = 200;
const distinct = <T>(values: readonly T[]) => [...new Set(values)];

async function readMembers(pool: pg.Pool, id: string): Promise<(IncidentMember & { cluster: string | null })[]> {
  const result = await pool.query(
    `SELECT a.id, a.rule_id, r.name AS rule_name, a.severity, a.status, a.first_event_at, a.last_event_at,
            a.event_count, a.username, a.pod_name, a.details->>'podNamespace' AS pod_namespace, a.source_ips,
            a.secret_names, a.cluster, ia.joined_with, ia.reason
       FROM incident_alerts ia JOIN alerts a ON a.id = ia.alert_id JOIN rules r ON r.id = a.rule_id
      WHERE ia.incident_id = $1 AND NOT ia.removed
      ORDER BY a.first_event_at, a.last_event_at, a.id`,
    [id],
  );
  return result.rows.map((row) => ({
    alertId: row.id,
    ruleId: row.rule_id,
    ruleName: row.rule_name,
    severity: row.severity,
    status: row.status,
    firstEventAt: row.first_event_at.toISOString(),
    lastEventAt: row.last_event_at.toISOString(),
    eventCount: row.event_count,
    username: row.username,
    podName: row.pod_name,
    podNamespace: podNamespaceOf({ podNamespace: row.pod_namespace, username: row.username }),
    sourceIps: row.source_ips ?? [],
    secretNames: row.secret_names ?? [],
    cluster: row.cluster,
    joinedWith: row.joined_with,
    reason: row.reason,
  }));
}

export async function listIncidentHistory(pool: pg.Pool, id: string): Promise<IncidentHistoryEntry[]> {
  const result = await pool.query(
    `SELECT id::text, actor_name, kind, from_value, to_value, note, alert_id, created_at
       FROM incident_history WHERE incident_id = $1 ORDER BY created_at, id`,
    [id],
  );
  return result.rows.map((row) => ({
    id: row.id,
    actorName: row.actor_name,
    kind: row.kind,
    fromValue: row.from_value,
    toValue: row.to_value,
    note: row.note,
    alertId: row.alert_id,
    createdAt: row.created_at.toISOString(),
  }));
}

export async function readIncident(
  pool: pg.Pool,
  id: string,
  options: { timelineLimit?: number } = {},
): Promise<IncidentDetail | null> {
  const timelineLimit = Math.min(Math.max(options.timelineLimit ?? TIMELINE_LIMIT, 1), MAX_TIMELINE_LIMIT);
  const found = await pool.query(`${INCIDENT_SUMMARY_SELECT} WHERE i.id = $1`, [id]);
  const row = found.rows[0];
  if (!row) return null;
  const merged = await pool.query<{ merged_into: string | null }>(`SELECT merged_into FROM incidents WHERE id = $1`, [
    id,
  ]);
  const members = await readMembers(pool, id);
  const alertIds = members.map((member) => member.alertId);

  const [timeline, fileEvents, secrets, bindings, history] = await Promise.all([
    pool.query(
      `SELECT ${AUDIT_EVENT_COLUMNS}, array_agg(DISTINCT ae.alert_id::text) AS alert_ids
         FROM alert_events ae JOIN evidence_audit_events e ON e.id = ae.event_id
        WHERE ae.alert_id = ANY($1::uuid[])
        GROUP BY e.id ORDER BY e.time, e.id LIMIT ${timelineLimit}`,
      [alertIds],
    ),
    pool.query(
      `SELECT ${FILE_EVENT_COLUMNS}, array_agg(DISTINCT af.alert_id::text) AS alert_ids
         FROM alert_file_events af JOIN evidence_file_events f ON f.id = af.file_event_id
        WHERE af.alert_id = ANY($1::uuid[])
        GROUP BY f.id ORDER BY f.time, f.id LIMIT 500`,
      [alertIds],
    ),
    pool.query(
      `SELECT e.namespace, e.name, array_agg(DISTINCT e.username) FILTER (WHERE e.username IS NOT NULL) AS readers,
              count(*) FILTER (WHERE ${OUTCOME_SQL} = 'allowed')::int AS allowed,
              count(*) FILTER (WHERE ${OUTCOME_SQL} = 'forbidden')::int AS forbidden,
              min(e.time) AS first_at, max(e.time) AS last_at
         FROM evidence_audit_events e
        WHERE e.id IN (SELECT event_id FROM alert_events WHERE alert_id = ANY($1::uuid[]))
          AND e.resource = 'secrets' AND e.name IS NOT NULL
        GROUP BY e.namespace, e.name ORDER BY min(e.time), e.namespace, e.name`,
      [alertIds],
    ),
    pool.query(
      `SELECT e.rbac_binding_kind, e.rbac_binding_name, e.rbac_binding_namespace, e.rbac_role_kind, e.rbac_role_name,
              e.rbac_subject_kind, e.rbac_subject_name, e.rbac_subject_namespace,
              count(*)::int AS requests, min(e.time) AS first_at, max(e.time) AS last_at
         FROM evidence_audit_events e
        WHERE e.id IN (SELECT event_id FROM alert_events WHERE alert_id = ANY($1::uuid[])) AND e.reason_parsed
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY count(*) DESC, 2, 3`,
      [alertIds],
    ),
    listIncidentHistory(pool, id),
  ]);

  const storyEvents: StoryEvent[] = timeline.rows.map((event) => ({
    ...toAuditEventRow(event),
    alertIds: event.alert_ids,
  }));
  const storyFiles: StoryFileEvent[] = fileEvents.rows.map((event) => ({
    ...toFileEventRow(event),
    alertIds: event.alert_ids,
  }));
  const users = distinct(members.flatMap((member) => (member.username ? [member.username] : [])));
  const clusters = distinct(members.flatMap((member) => (member.cluster ? [member.cluster] : [])));
  const otherRequests =
    members.length === 0 || users.length === 0
      ? []
      : (
          await pool.query(
            `SELECT ${AUDIT_EVENT_COLUMNS} FROM audit_events e
              WHERE e.username = ANY($1::text[]) AND e.time >= $2 AND e.time <= $3 AND e.cluster = ANY($4::text[])
                AND NOT EXISTS (SELECT 1 FROM alert_events ae WHERE ae.event_id = e.id AND ae.alert_id = ANY($5::uuid[]))
              ORDER BY e.time, e.id LIMIT ${OTHER_REQUESTS_LIMIT}`,
            [users, row.first_event_at, row.last_event_at, clusters, alertIds],
          )
        ).rows.map(toAuditEventRow);

  const pods = new Map<string, { namespace: string | null; name: string }>();
  for (const member of members)
    if (member.podName)
      pods.set(`${member.podNamespace}/${member.podName}`, { namespace: member.podNamespace, name: member.podName });
  for (const file of storyFiles)
    if (file.podName) pods.set(`${file.namespace}/${file.podName}`, { namespace: file.namespace, name: file.podName });
  const secretRows: IncidentSecret[] = secrets.rows.map((secret) => ({
    namespace: secret.namespace,
    name: secret.name,
    readers: secret.readers ?? [],
    allowed: secret.allowed,
    forbidden: secret.forbidden,
    firstAt: secret.first_at.toISOString(),
    lastAt: secret.last_at.toISOString(),
  }));
  const bindingRows: IncidentBinding[] = bindings.rows.map((binding) => ({
    bindingKind: binding.rbac_binding_kind,
    bindingName: binding.rbac_binding_name,
    bindingNamespace: binding.rbac_binding_namespace,
    roleKind: binding.rbac_role_kind,
    roleName: binding.rbac_role_name,
    subjectKind: binding.rbac_subject_kind,
    subjectName: binding.rbac_subject_name,
    subjectNamespace: binding.rbac_subject_namespace,
    requests: binding.requests,
    firstAt: binding.first_at.toISOString(),
    lastAt: binding.last_at.toISOString(),
  }));
  const serviceAccounts = users.filter(isServiceAccount);
  const entities: IncidentEntities = {
    users: users.filter((user) => !isServiceAccount(user)),
    serviceAccounts,
    ips: distinct([
      ...members.flatMap((member) => member.sourceIps),
      ...storyEvents.flatMap((event) => (event.sourceIp ? [event.sourceIp] : [])),
    ]).sort(),
    pods: [...pods.values()],
    nodes: distinct(storyEvents.flatMap((event) => (event.nodeName ? [event.nodeName] : []))).sort(),
    secrets: secretRows.map((secret) => ({ namespace: secret.namespace, name: secret.name })),
    namespaces: distinct([
      ...storyEvents.flatMap((event) => (event.namespace ? [event.namespace] : [])),
      ...[...pods.values()].flatMap((pod) => (pod.namespace ? [pod.namespace] : [])),
    ]).sort(),
  };
  const containment = buildContainmentHints({
    cluster: clusters.length === 1 ? clusters[0]! : null,
    pods: entities.pods,
    serviceAccounts: serviceAccounts.flatMap((user) => {
      const namespace = serviceAccountNamespace(user);
      return namespace ? [{ namespace, name: user.split(':').at(-1)! }] : [];
    }),
    grants: bindingRows,
    secrets: secretRows.filter((secret) => secret.allowed > 0),
  });
  return {
    ...toIncidentSummary(row),
    mergedIntoId: merged.rows[0]?.merged_into ?? null,
    clusters,
    members: members.map(({ cluster: _cluster, ...member }) => member),
    entities,
    timeline: storyEvents,
    timelineLimit,
    fileEvents: storyFiles,
    otherRequests,
    secrets: secretRows,
    bindings: bindingRows,
    containment,
    history: history,
  };
}

/** The incident an alert belongs to, for the alert page's link. */
export async function readAlertIncident(
  pool: pg.Pool,
  alertId: string,
): Promise<{ id: string; title: string; status: string } | null> {
  const result = await pool.query(
    `SELECT i.id, i.title, i.status FROM incident_alerts ia JOIN incidents i ON i.id = ia.incident_id
      WHERE ia.alert_id = $1 AND NOT ia.removed`,
    [alertId],
  );
  return result.rows[0] ?? null;
}
