// Each destination type's message from a delivery's payload: the webhook's documented JSON body, Slack
// Block Kit, a Teams Adaptive Card, an email (text and HTML), a PagerDuty Events v2 event. Log values
// are escaped for each markup here and nowhere else.
import { escapeHtml, escapeSlack, escapeTeams, plainLine, slackCode } from './escape';
import type { AlertSnapshot, DeliveryPayload, NotificationEvent } from './schemas';

export type MessageContext = { deliveryId: string; publicUrl: string };

const EVENT_TITLES: Record<NotificationEvent, string> = {
  'alert.created': 'New alert',
  'alert.reopened': 'Alert reopened',
  'alert.severity_raised': 'Alert severity raised',
  'alert.assigned': 'Alert assigned',
  'alert.closed': 'Alert closed',
};

export function alertLink(publicUrl: string, alertId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/alerts/${encodeURIComponent(alertId)}`;
}

function alertBody(alert: AlertSnapshot, publicUrl: string) {
  return {
    id: alert.id,
    url: alertLink(publicUrl, alert.id),
    rule: { id: alert.ruleId, name: alert.ruleName },
    severity: alert.severity,
    riskScore: alert.riskScore,
    status: alert.status,
    closeReason: alert.closeReason,
    assignee: alert.assignee,
    cluster: alert.cluster,
    entities: {
      user: alert.username,
      sourceIp: alert.sourceIp,
      sourceIps: alert.sourceIps,
      userAgent: alert.userAgent,
      pod: alert.podName,
      namespaces: alert.namespaces,
      secrets: alert.secretNames,
    },
    counts: { events: alert.eventCount },
    firstEventAt: alert.firstEventAt,
    lastEventAt: alert.lastEventAt,
    createdAt: alert.createdAt,
  };
}

/** The webhook body (README: "Webhook body"). */
export function buildWebhookBody(payload: DeliveryPayload, context: MessageContext) {
  if (payload.kind === 'digest')
    return {
      version: 1,
      type: 'digest' as const,
      deliveryId: context.deliveryId,
      route: payload.routeName,
      from: payload.from,
      to: payload.to,
      items: payload.items.map((item) => ({
        event: item.event,
        occurredAt: item.occurredAt,
        alert: alertBody(item.alert, context.publicUrl),
      })),
    };
  return {
    version: 1,
    type: 'event' as const,
    deliveryId: context.deliveryId,
    event: payload.event,
    occurredAt: payload.occurredAt,
    test: payload.test ?? false,
    ...(payload.previousSeverity ? { previousSeverity: payload.previousSeverity } : {}),
    alert: alertBody(payload.alert, context.publicUrl),
  };
}

function title(payload: DeliveryPayload): string {
  if (payload.kind === 'digest') return `Vigil digest: ${payload.items.length} alert event(s)`;
  return `${payload.test ? '[test] ' : ''}${EVENT_TITLES[payload.event]}`;
}

function entityLines(alert: AlertSnapshot): [string, string | null][] {
  return [
    ['User', alert.username],
    ['Source IP', alert.sourceIp],
    ['Pod', alert.podName],
    ['Namespaces', alert.namespaces.join(', ') || null],
    ['Secrets', alert.secretNames.join(', ') || null],
    ['User agent', alert.userAgent],
  ];
}

function slackAlertBlocks(alert: AlertSnapshot, publicUrl: string, heading: string) {
  return [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${escapeSlack(heading)}*: ${slackCode(alert.ruleName)} — severity *${alert.severity}*, risk ${alert.riskScore}, ${alert.eventCount} event(s)`,
      },
      fields: entityLines(alert)
        .filter(([, value]) => value)
        .map(([label, value]) => ({ type: 'mrkdwn', text: `*${label}*\n${slackCode(value)}` })),
    },
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Open in Vigil' },
          url: alertLink(publicUrl, alert.id),
        },
      ],
    },
  ];
}

export function buildSlackMessage(payload: DeliveryPayload, context: MessageContext) {
  const heading = title(payload);
  if (payload.kind === 'digest')
    return {
      text: heading,
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: heading } },
        ...payload.items
          .slice(0, 20)
          .flatMap((item) => slackAlertBlocks(item.alert, context.publicUrl, EVENT_TITLES[item.event])),
      ],
    };
  return {
    text: `${heading}: ${escapeSlack(payload.alert.ruleName)}`,
    blocks: slackAlertBlocks(payload.alert, context.publicUrl, heading),
  };
}

function teamsAlertItems(alert: AlertSnapshot, heading: string) {
  return [
    {
      type: 'TextBlock',
      size: 'Medium',
      weight: 'Bolder',
      wrap: true,
      text: `${heading}: ${escapeTeams(alert.ruleName)}`,
    },
    {
      type: 'FactSet',
      facts: [
        { title: 'Severity', value: alert.severity },
        { title: 'Risk', value: String(alert.riskScore) },
        ...entityLines(alert)
          .filter(([, value]) => value)
          .map(([label, value]) => ({ title: label, value: escapeTeams(value) })),
      ],
    },
  ];
}

export function buildTeamsMessage(payload: DeliveryPayload, context: MessageContext) {
  const items =
    payload.kind === 'digest'
      ? [
          { type: 'TextBlock', size: 'Large', weight: 'Bolder', text: title(payload) },
          ...payload.items.slice(0, 20).flatMap((item) => teamsAlertItems(item.alert, EVENT_TITLES[item.event])),
        ]
      : teamsAlertItems(payload.alert, title(payload));
  const actions =
    payload.kind === 'digest'
      ? []
      : [{ type: 'Action.OpenUrl', title: 'Open in Vigil', url: alertLink(context.publicUrl, payload.alert.id) }];
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: items,
          actions,
        },
      },
    ],
  };
}

export type EmailMessage = { subject: string; text: string; html: string };

function emailAlert(alert: AlertSnapshot, publicUrl: string, heading: string) {
  const link = alertLink(publicUrl, alert.id);
  const facts: [string, string | null][] = [
    ['Rule', alert.ruleName],
    ['Severity', alert.severity],
    ['Risk', String(alert.riskScore)],
    ['Status', alert.status],
    ['Events', String(alert.eventCount)],
    ['Cluster', alert.cluster],
    ...entityLines(alert),
    ['First event', alert.firstEventAt],
    ['Last event', alert.lastEventAt],
  ];
  const text = [heading, ...facts.map(([label, value]) => `${label}: ${plainLine(value, 1000)}`), `Open: ${link}`].join(
    '\n',
  );
  const rows = facts
    .map(([label, value]) => `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(value ?? '—')}</td></tr>`)
    .join('');
  const html = `<h2>${escapeHtml(heading)}</h2><table>${rows}</table><p><a href="${escapeHtml(link)}">Open in Vigil</a></p>`;
  return { text, html };
}

export function buildEmail(payload: DeliveryPayload, context: MessageContext): EmailMessage {
  if (payload.kind === 'digest') {
    const parts = payload.items.map((item) => emailAlert(item.alert, context.publicUrl, EVENT_TITLES[item.event]));
    return {
      subject: plainLine(title(payload)),
      text: parts.map((part) => part.text).join('\n\n'),
      html: parts.map((part) => part.html).join('<hr>'),
    };
  }
  const heading = title(payload);
  const part = emailAlert(payload.alert, context.publicUrl, heading);
  return {
    subject: plainLine(`[Vigil ${payload.alert.severity}] ${heading}: ${payload.alert.ruleName}`, 200),
    ...part,
  };
}

const PAGERDUTY_SEVERITY = { low: 'info', medium: 'warning', high: 'error', critical: 'critical' } as const;

/** PagerDuty Events v2: closed resolves, anything else triggers (PagerDuty dedupes on the alert id). Null: a digest. */
export function buildPagerDutyEvent(payload: DeliveryPayload, routingKey: string, context: MessageContext) {
  if (payload.kind === 'digest') return null;
  const { alert } = payload;
  if (payload.event === 'alert.closed')
    return { routing_key: routingKey, event_action: 'resolve' as const, dedup_key: alert.id };
  return {
    routing_key: routingKey,
    event_action: 'trigger' as const,
    dedup_key: alert.id,
    payload: {
      summary: plainLine(
        `${payload.test ? '[test] ' : ''}${alert.ruleName} (${alert.username ?? alert.sourceIp ?? 'unknown'})`,
        1000,
      ),
      source: alert.cluster ?? 'vigil',
      severity: PAGERDUTY_SEVERITY[alert.severity],
      timestamp: alert.lastEventAt,
      component: alert.podName ?? undefined,
      class: alert.ruleId,
      custom_details: alertBody(alert, context.publicUrl),
    },
    links: [{ href: alertLink(context.publicUrl, alert.id), text: 'Open in Vigil' }],
  };
}
