import { describe, expect, it } from 'vitest';
import { alertEventsFrom } from '../../../lib/notifications/alert-events';
import {
  buildEmail,
  buildPagerDutyEvent,
  buildSlackMessage,
  buildTeamsMessage,
  buildWebhookBody,
} from '../../../lib/notifications/build-messages';
import { isBlockedAddress, refuseDestinationUrl } from '../../../lib/notifications/check-url';
import { escapeHtml, escapeSlack, escapeTeams, slackCode } from '../../../lib/notifications/escape';
import { routeMatches, type RouteFilter } from '../../../lib/notifications/match-route';
import type { AlertSnapshot, DeliveryPayload } from '../../../lib/notifications/schemas';
import { deriveSecretKey, maskSecret, openSecrets, sealSecrets } from '../../../lib/notifications/secret-box';
import { signWebhook, verifyWebhookSignature } from '../../../lib/notifications/sign-webhook';

const alert: AlertSnapshot = {
  id: '6f1c1f7e-6f55-4b53-9b51-0d4c0e3a3b11',
  ruleId: 'secret-enumeration',
  ruleName: 'Secrets listed across namespaces',
  severity: 'high',
  riskScore: 73,
  status: 'open',
  closeReason: null,
  assignee: null,
  cluster: 'prod',
  username: 'system:serviceaccount:ci:deployer',
  sourceIp: '10.0.0.7',
  sourceIps: ['10.0.0.7'],
  userAgent: '<https://evil.example|click> @channel <!here> *bold* `x`',
  podName: 'runner-1',
  namespaces: ['ci', 'kube-system'],
  secretNames: ['db-password'],
  eventCount: 12,
  firstEventAt: '2026-12-01T10:00:00.000Z',
  lastEventAt: '2026-12-01T10:05:00.000Z',
  createdAt: '2026-12-01T10:06:00.000Z',
};
const payload: DeliveryPayload = {
  kind: 'event',
  event: 'alert.created',
  occurredAt: '2026-12-01T10:06:00.000Z',
  alert,
};
const context = { deliveryId: 'd-1', publicUrl: 'https://vigil.example.com/' };

describe('escaping', () => {
  it('Slack: no links, mentions or special commands survive', () => {
    expect(escapeSlack('<https://x|y> & <!channel> @here')).toBe(
      '&lt;https://x|y&gt; &amp; &lt;!channel&gt; @\u200bhere',
    );
    expect(slackCode('a`b')).toBe('`aˋb`');
    expect(slackCode(null)).toBe('—');
    expect(escapeSlack('x'.repeat(400)).length).toBe(300);
  });
  it('HTML and Teams markdown', () => {
    expect(escapeHtml(`<a href="x">'&`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;');
    expect(escapeTeams('[click](https://x) @team')).toBe('\\[click\\]\\(https://x\\) @\u200bteam');
  });
});

describe('messages', () => {
  it('the webhook body carries the documented fields', () => {
    const body = buildWebhookBody(payload, context);
    expect(body).toMatchObject({
      version: 1,
      type: 'event',
      event: 'alert.created',
      deliveryId: 'd-1',
      alert: {
        id: alert.id,
        url: `https://vigil.example.com/alerts/${alert.id}`,
        rule: { id: 'secret-enumeration', name: alert.ruleName },
        severity: 'high',
        riskScore: 73,
        entities: { user: alert.username, pod: 'runner-1', secrets: ['db-password'] },
        counts: { events: 12 },
        firstEventAt: alert.firstEventAt,
      },
    });
  });
  it('Slack: the user agent is inline code with its markup neutralised; a button links the alert', () => {
    const message = JSON.stringify(buildSlackMessage(payload, context));
    expect(message).not.toContain('<https://evil');
    expect(message).not.toContain('<!here>');
    expect(message).not.toContain('@channel');
    expect(message).toContain('&lt;https://evil.example|click&gt;');
    expect(message).toContain(`"url":"https://vigil.example.com/alerts/${alert.id}"`);
  });
  it('Teams: an Adaptive Card with escaped facts', () => {
    const card = buildTeamsMessage(payload, context);
    expect(card.attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(JSON.stringify(card)).not.toContain('[click]');
  });
  it('email: escaped HTML, one-line subject, the link', () => {
    const hostile = {
      ...payload,
      alert: { ...alert, ruleName: 'R\r\nBcc: x@y', userAgent: '<script>alert(1)</script>' },
    };
    const mail = buildEmail(hostile, context);
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;');
    expect(mail.text).toContain(`https://vigil.example.com/alerts/${alert.id}`);
  });
  it('PagerDuty: trigger on created, resolve on closed, dedup key = alert id', () => {
    const trigger = buildPagerDutyEvent(payload, 'rk', context)!;
    expect(trigger).toMatchObject({ routing_key: 'rk', event_action: 'trigger', dedup_key: alert.id });
    expect(trigger.payload).toMatchObject({ severity: 'error', source: 'prod' });
    const resolve = buildPagerDutyEvent({ ...payload, event: 'alert.closed' }, 'rk', context);
    expect(resolve).toEqual({ routing_key: 'rk', event_action: 'resolve', dedup_key: alert.id });
  });
});

describe('signing', () => {
  it('signs "<t>.<body>" with HMAC-SHA256 and verifies within the window only', () => {
    const header = signWebhook('s3cret-s3cret-s3cret', '{"a":1}', 1_700_000_000);
    expect(header).toBe('t=1700000000,v1=' + header.split('v1=')[1]);
    expect(header.split('v1=')[1]).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyWebhookSignature('s3cret-s3cret-s3cret', '{"a":1}', header, 1_700_000_100)).toBe(true);
    expect(verifyWebhookSignature('s3cret-s3cret-s3cret', '{"a":2}', header, 1_700_000_100)).toBe(false);
    expect(verifyWebhookSignature('other-other-other-', '{"a":1}', header, 1_700_000_100)).toBe(false);
    expect(verifyWebhookSignature('s3cret-s3cret-s3cret', '{"a":1}', header, 1_700_001_000)).toBe(false);
  });
});

describe('secret box', () => {
  const key = deriveSecretKey('x'.repeat(32));
  it('round-trips, and is bound to the destination id and the key', () => {
    const sealed = sealSecrets(key, 'id-1', { url: 'https://hooks.slack.com/T/B/xyz' });
    expect(sealed).not.toContain('hooks.slack.com');
    expect(openSecrets(key, 'id-1', sealed)).toEqual({ url: 'https://hooks.slack.com/T/B/xyz' });
    expect(() => openSecrets(key, 'id-2', sealed)).toThrow();
    expect(() => openSecrets(deriveSecretKey('y'.repeat(32)), 'id-1', sealed)).toThrow();
  });
  it('masks', () => {
    expect(maskSecret('url', 'https://hooks.slack.com/T/B/xyz')).toBe('https://hooks.slack.com/••••••••');
    expect(maskSecret('secret', 'abc')).toBe('••••••••');
    expect(maskSecret('headers', { Authorization: 'Bearer x' })).toBe('Authorization: ••••••••');
  });
});

describe('URL checks', () => {
  it.each([
    ['169.254.169.254', true],
    ['::ffff:169.254.169.254', true],
    ['fd00:ec2::254', true],
    ['[fd00:ec2:0:0:0:0:0:254]', true],
    ['fe80::1', true],
    ['127.0.0.1', false],
    ['10.0.0.1', false],
    ['::1', false],
    ['example.com', false],
  ])('%s blocked: %s', (address, blocked) => {
    expect(isBlockedAddress(address)).toBe(blocked);
  });
  it('http(s) only; metadata refused unless allowed', () => {
    expect(refuseDestinationUrl('ftp://x.example/', false)).toMatch(/http/);
    expect(refuseDestinationUrl('file:///etc/passwd', false)).toMatch(/http/);
    expect(refuseDestinationUrl('http://169.254.169.254/latest/meta-data', false)).toMatch(/metadata/);
    expect(refuseDestinationUrl('http://[fd00:ec2::254]/', false)).toMatch(/metadata/);
    expect(refuseDestinationUrl('http://169.254.169.254/', true)).toBeNull();
    expect(refuseDestinationUrl('https://hooks.slack.com/services/x', false)).toBeNull();
  });
});

describe('routing', () => {
  const route: RouteFilter = {
    enabled: true,
    events: ['alert.created'],
    minSeverity: 'high',
    ruleIds: [],
    clusters: [],
    namespaces: [],
  };
  it('matches on event, severity floor and filters', () => {
    expect(routeMatches(route, 'alert.created', alert)).toBe(true);
    expect(routeMatches({ ...route, enabled: false }, 'alert.created', alert)).toBe(false);
    expect(routeMatches(route, 'alert.closed', alert)).toBe(false);
    expect(routeMatches(route, 'alert.created', { ...alert, severity: 'medium' })).toBe(false);
    expect(routeMatches({ ...route, minSeverity: 'critical' }, 'alert.created', alert)).toBe(false);
    expect(routeMatches({ ...route, ruleIds: ['other'] }, 'alert.created', alert)).toBe(false);
    expect(routeMatches({ ...route, clusters: ['prod'] }, 'alert.created', alert)).toBe(true);
    expect(routeMatches({ ...route, clusters: ['dev'] }, 'alert.created', alert)).toBe(false);
    expect(routeMatches({ ...route, namespaces: ['kube-system'] }, 'alert.created', alert)).toBe(true);
    expect(routeMatches({ ...route, namespaces: ['default'] }, 'alert.created', alert)).toBe(false);
  });
  it('reads events from history rows and severity changes', () => {
    let n = 0;
    const events = alertEventsFrom(
      [
        { alertId: 'a', kind: 'created', from: null, to: 'open' },
        { alertId: 'b', kind: 'status', from: 'closed', to: 'open' },
        { alertId: 'c', kind: 'status', from: 'open', to: 'closed' },
        { alertId: 'd', kind: 'assignee', from: null, to: 'ann@example.com' },
        { alertId: 'e', kind: 'assignee', from: 'ann@example.com', to: null },
        { alertId: 'f', kind: 'note', from: null, to: null },
      ],
      [
        { alertId: 'g', from: 'medium', to: 'high' },
        { alertId: 'h', from: 'high', to: 'low' },
      ],
      new Date('2026-12-01T00:00:00Z'),
      () => `k${n++}`,
    );
    expect(events.map((event) => [event.alertId, event.event])).toEqual([
      ['a', 'alert.created'],
      ['b', 'alert.reopened'],
      ['c', 'alert.closed'],
      ['d', 'alert.assigned'],
      ['g', 'alert.severity_raised'],
    ]);
    expect(events[3]!.assigneeEmail).toBe('ann@example.com');
    expect(events[4]!.previousSeverity).toBe('medium');
  });
});
