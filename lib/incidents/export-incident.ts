// An incident as a report: Markdown for a ticket, NDJSON with every member alert and event. Pure over
// what read-incident.ts gives. Log values go into Markdown only as code spans (fenced past any backtick
// run, newlines flattened), so a ticket system never renders them as markup or links.
import { describeGrant } from '../rbac/parse-authorization-reason';
import type { IncidentDetail } from './read-incident';

/** A value from a log as an inline code span: nothing in it is read as Markdown or HTML. */
export function codeSpan(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const text = String(value).replace(/[\u0000-\u001f\u007f]+/g, ' ');
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || text.startsWith(' ') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

export function formatIncidentMarkdown(incident: IncidentDetail): string {
  const lines: string[] = [];
  lines.push(`# Incident: ${codeSpan(incident.title)}`, '');
  lines.push(
    `- Severity: ${incident.severity}`,
    `- Status: ${incident.status}${incident.closeReason ? ` (${incident.closeReason})` : ''}`,
    `- Assignee: ${codeSpan(incident.assignee)}`,
    `- Span: ${incident.firstEventAt ?? '—'} → ${incident.lastEventAt ?? '—'}`,
    `- Clusters: ${incident.clusters.map(codeSpan).join(', ') || '—'}`,
    `- Incident id: ${incident.id}`,
    '',
  );
  lines.push(
    '## Alerts',
    '',
    '| First event | Rule | Severity | Status | Identity | Pod | Why it is here |',
    '|---|---|---|---|---|---|---|',
  );
  for (const member of incident.members)
    lines.push(
      `| ${member.firstEventAt} | ${member.ruleId} | ${member.severity} | ${member.status} | ${codeSpan(member.username)} | ${codeSpan(member.podName ? `${member.podNamespace ?? '?'}/${member.podName}` : null)} | ${codeSpan(member.reason ?? 'first alert')} |`,
    );
  lines.push('', '## Bindings that let it through', '');
  if (incident.bindings.length === 0) lines.push('No parsed RBAC reason on the evidence.');
  for (const binding of incident.bindings)
    lines.push(
      `- ${codeSpan(describeGrant(binding))} to ${binding.subjectKind} ${codeSpan(binding.subjectName)}: ${binding.requests} request(s)`,
    );
  lines.push(
    '',
    '## Secrets',
    '',
    '| Secret | Read by | Allowed | Forbidden | First | Last |',
    '|---|---|---|---|---|---|',
  );
  for (const secret of incident.secrets)
    lines.push(
      `| ${codeSpan(`${secret.namespace ?? ''}/${secret.name}`)} | ${secret.readers.map(codeSpan).join(', ')} | ${secret.allowed} | ${secret.forbidden} | ${secret.firstAt} | ${secret.lastAt} |`,
    );
  lines.push('', '## Entities', '');
  const entity = (label: string, values: string[]) =>
    lines.push(`- ${label}: ${values.map(codeSpan).join(', ') || '—'}`);
  entity('Users', incident.entities.users);
  entity('Service accounts', incident.entities.serviceAccounts);
  entity('Source IPs', incident.entities.ips);
  entity(
    'Pods',
    incident.entities.pods.map((pod) => `${pod.namespace ?? '?'}/${pod.name}`),
  );
  entity('Nodes', incident.entities.nodes);
  entity('Namespaces', incident.entities.namespaces);
  lines.push('', '## Timeline', '');
  for (const event of incident.timeline)
    lines.push(
      `- ${event.time} ${codeSpan(event.username)} ${codeSpan([event.verb, event.resource, event.namespace, event.name].filter(Boolean).join(' '))} → ${event.outcome}${event.responseCode ? ` ${event.responseCode}` : ''} from ${codeSpan(event.sourceIp)}`,
    );
  for (const file of incident.fileEvents)
    lines.push(
      `- ${file.time} file ${codeSpan(file.action)} ${codeSpan(file.path)} in pod ${codeSpan(`${file.namespace ?? '?'}/${file.podName ?? '?'}`)}`,
    );
  if (incident.timeline.length >= incident.timelineLimit) lines.push(`- … cut at ${incident.timelineLimit} events`);
  lines.push('', '## Containment (text only: review before running; Vigil runs nothing)', '');
  if (incident.containment.length === 0) lines.push('No hints.');
  for (const hint of incident.containment) lines.push(`- ${hint.why}`, '', '  ```sh', `  ${hint.command}`, '  ```');
  lines.push('', '## History', '');
  for (const entry of incident.history)
    lines.push(
      `- ${entry.createdAt} ${codeSpan(entry.actorName)} ${entry.kind}${entry.fromValue || entry.toValue ? ` ${codeSpan(entry.fromValue)} → ${codeSpan(entry.toValue)}` : ''}${entry.note ? ` ${codeSpan(entry.note)}` : ''}`,
    );
  return `${lines.join('\n')}\n`;
}

/** One JSON document a line: the incident, each member alert, each event, each file event, the history. */
export function formatIncidentNdjson(incident: IncidentDetail): string {
  const { members, timeline, fileEvents, history, otherRequests: _other, ...summary } = incident;
  const lines = [
    { type: 'incident', ...summary },
    ...members.map((member) => ({ type: 'alert', ...member })),
    ...timeline.map((event) => ({ type: 'event', ...event })),
    ...fileEvents.map((event) => ({ type: 'file-event', ...event })),
    ...history.map((entry) => ({ type: 'history', ...entry })),
  ];
  return lines.map((line) => JSON.stringify(line)).join('\n') + '\n';
}
