// The investigation pages in Chromium against seeded data: from an alert to the service
// account's page, then its source IP, then its pod, then the events explorer and an event's
// original JSON with the events around it; the overview shows the same data.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openSignedInPage } from '../support/accounts';
import { ndjson } from '../support/audit-events';
import { launchChromium } from '../support/chromium';
import { auditRequest, defendFileEvent } from '../support/investigation-events';
import { runCli } from '../support/run-cli';
import { saveScreenshot } from '../support/screenshots';

const baseUrl = inject('baseUrl');
const sessions = inject('sessionCookies');
const cliEnv = { DATABASE_URL: inject('databaseUrl') };
const BURST_RULE = 'Rapid secret GETs against multiple objects';
// Another test tunes the burst rule's threshold up to 4; five distinct secrets fire it either way.
const SECRETS = ['db-password', 'stripe-key', 'tls-cert', 'oauth-client', 'registry-pull'];

const id = randomUUID().slice(0, 8);
const namespace = `shop-${id}`;
const pod = `web-7d9c5b-${id}`;
const serviceAccount = `system:serviceaccount:${namespace}:web`;
const intruder = `intruder-${id}@corp.test`;
const ip = `10.88.${Number.parseInt(id.slice(0, 2), 16)}.${Number.parseInt(id.slice(2, 4), 16)}`;
const agent = `curl/8.5.0-${id}`;
const at = (seconds: number) => new Date(Date.parse('2026-11-20T09:00:00Z') + seconds * 1000).toISOString();

/** What the pod's token did: five allowed secret reads, two forbidden ones, one configmap read. */
function seededEvents() {
  const sa = { user: serviceAccount, podName: pod, nodeName: `node-${id}`, sourceIPs: [ip], userAgent: agent };
  return [
    ...SECRETS.map((name, index) => auditRequest({ ...sa, time: at(index * 10), namespace, name })),
    auditRequest({ ...sa, time: at(60), verb: 'list', namespace: 'kube-system', name: null, code: 403 }),
    auditRequest({ ...sa, time: at(70), namespace: 'kube-system', name: 'admin-token', code: 403 }),
    auditRequest({ ...sa, time: at(80), resource: 'configmaps', namespace, name: 'web-config' }),
    // Someone else behind the same address, refused.
    auditRequest({ time: at(90), user: intruder, sourceIPs: [ip], namespace, name: 'db-password', code: 403 }),
  ];
}

let browser: Browser;
const dialogs: string[] = [];

beforeAll(async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-investigate-'));
  const audit = path.join(dir, 'audit.ndjson');
  const files = path.join(dir, 'files.ndjson');
  writeFileSync(audit, ndjson(seededEvents()));
  writeFileSync(
    files,
    ndjson([defendFileEvent({ time: at(-10), podName: pod, namespace, containerId: `c-${id}`, processName: 'cat' })]),
  );
  for (const [file, format] of [
    [audit, 'k8s-audit'],
    [files, 'file-events'],
  ]) {
    const ingested = await runCli(['ingest', file!, '--format', format!, '--cluster', 'investigate-test'], cliEnv);
    expect(ingested.code, ingested.stderr).toBe(0);
  }
  const detected = await runCli(['detect', '--from', at(-600), '--to', at(600)], cliEnv);
  expect(detected.code, detected.stderr).toBe(0);
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  expect(dialogs).toEqual([]);
});

async function openPage(): Promise<Page> {
  const page = await openSignedInPage(browser, baseUrl, sessions.viewer);
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return page;
}

const figure = (page: Page, label: string) =>
  page
    .getByRole('region', { name: 'Summary' })
    .locator('div', { has: page.locator(`dt:text-is("${label}")`) })
    .locator('dd');

const rowsOf = (page: Page, table: string) => page.getByRole('table', { name: table, exact: true }).locator('tbody tr');

describe('investigating in the browser', () => {
  it('pivots from an alert to the service account, its source IP and its pod, each showing the seeded activity', async () => {
    const page = await openPage();
    await page.goto(
      `${baseUrl}/alerts?status=all&user=${encodeURIComponent(serviceAccount)}&rule=rapid-secret-get-multiple-objects`,
    );
    await page.getByRole('link', { name: BURST_RULE }).first().click();
    await page.waitForURL(/\/alerts\/[0-9a-f-]{36}$/);
    const alertUrl = page.url();

    // Alert → the service account's page.
    await page.getByRole('link', { name: `User ${serviceAccount}: everything it did` }).click();
    await page.waitForURL(/\/entities\/users\//);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(serviceAccount);
    await expect(figure(page, 'Requests in range').textContent()).resolves.toBe('8');
    await expect(figure(page, 'Allowed').textContent()).resolves.toBe('6');
    await expect(figure(page, 'Forbidden').textContent()).resolves.toBe('2');
    const secrets = rowsOf(page, 'Secrets touched');
    await expect(secrets.count()).resolves.toBe(SECRETS.length + 2);
    const listRow = secrets.filter({ hasText: 'every secret' });
    await expect(listRow.locator('td').nth(2).textContent()).resolves.toBe('list');
    await expect(listRow.locator('td').nth(6).textContent()).resolves.toBe('1');
    const matrix = page.getByRole('table', { name: 'Verbs by resource' });
    await expect(matrix.locator('tbody tr').count()).resolves.toBe(2);
    await expect(matrix.locator('tbody tr', { hasText: 'secrets' }).textContent()).resolves.toContain('1 forbidden');
    await expect(rowsOf(page, 'Related alerts').filter({ hasText: BURST_RULE }).count()).resolves.toBeGreaterThan(0);
    const activityBars = page.getByRole('figure', { name: 'Activity over time' }).locator('.recharts-bar-rectangle');
    await expect.poll(() => activityBars.count()).toBeGreaterThan(0);
    await expect(page.getByRole('region', { name: 'Pods' }).textContent()).resolves.toContain(pod);
    await expect(page.getByRole('region', { name: 'User agents' }).textContent()).resolves.toContain(agent);
    await saveScreenshot(page, 'entity-user');

    // → the source IP: both identities behind it, the intruder refused.
    await page.getByRole('region', { name: 'Source IPs' }).getByRole('link', { name: ip }).click();
    await page.waitForURL(/\/entities\/ips\//);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(ip);
    await expect(figure(page, 'Requests in range').textContent()).resolves.toBe('9');
    await expect(figure(page, 'Forbidden').textContent()).resolves.toBe('3');
    const users = page.getByRole('region', { name: 'Users' });
    await expect(users.getByRole('link', { name: serviceAccount }).count()).resolves.toBe(1);
    await expect(users.getByRole('link', { name: intruder }).count()).resolves.toBe(1);
    await saveScreenshot(page, 'entity-ip');

    // → the pod: its token's requests and its containers' file activity.
    await page.getByRole('region', { name: 'Pods' }).getByRole('link', { name: pod }).click();
    await page.waitForURL(/\/entities\/pods\//);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(`${namespace}/${pod}`);
    await expect(figure(page, 'Requests in range').textContent()).resolves.toBe('8');
    const fileRows = rowsOf(page, 'File events');
    await expect(fileRows.count()).resolves.toBe(1);
    await expect(fileRows.first().textContent()).resolves.toContain(
      '/var/run/secrets/kubernetes.io/serviceaccount/token',
    );
    await expect(rowsOf(page, 'Related alerts').filter({ hasText: BURST_RULE }).count()).resolves.toBeGreaterThan(0);
    await saveScreenshot(page, 'entity-pod');

    // → the explorer with the pod's requests, an event's original JSON and its neighbours.
    await page.getByRole('link', { name: 'All these requests in the events explorer' }).click();
    await page.waitForURL(/\/events\?/);
    const results = rowsOf(page, 'Audit events');
    await expect(results.count()).resolves.toBe(8);
    await expect(page.getByRole('region', { name: 'Results' }).getByRole('heading').textContent()).resolves.toBe(
      '8 audit events',
    );
    await results.filter({ hasText: 'admin-token' }).getByRole('link').first().click();
    await page.waitForURL(/[?&]event=\d+/);
    const detail = page.getByRole('region', { name: 'Event details' });
    await expect(detail.locator('pre').textContent()).resolves.toContain('"admin-token"');
    await expect(rowsOf(page, 'Audit events around this one').count()).resolves.toBe(8);
    await expect(rowsOf(page, 'File events around this one').count()).resolves.toBe(1);
    await saveScreenshot(page, 'events-explorer-detail');

    // The alert page still lists the pod with its own namespace.
    await page.goto(alertUrl);
    await expect(
      page.getByRole('link', { name: `Pod ${pod}: everything it did` }).getAttribute('href'),
    ).resolves.toContain(`/entities/pods/${namespace}/${pod}`);
    await page.context().close();
  });

  it('narrows the explorer by a field, sorts newest first and exports what the search selects', async () => {
    const page = await openPage();
    await page.goto(
      `${baseUrl}/events?user=${encodeURIComponent(serviceAccount)}&pageSize=25&from=${at(-60)}&to=${at(600)}`,
    );
    const form = page.getByRole('form', { name: 'Event filters' });
    await form.getByLabel('Outcome').selectOption('forbidden');
    await form.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/outcome=forbidden/);
    await expect(rowsOf(page, 'Audit events').count()).resolves.toBe(2);

    const csvHref = await page.getByRole('link', { name: 'CSV' }).getAttribute('href');
    expect(csvHref).toMatch(/^\/api\/v1\/events\/export\?format=csv&.*outcome=forbidden/);
    const exported = await page.evaluate(async (href) => {
      const response = await fetch(href);
      return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
    }, csvHref!);
    expect(exported.status).toBe(200);
    expect(exported.type).toContain('text/csv');
    const lines = exported.text.trim().split(/\r?\n/);
    expect(lines).toHaveLength(3);
    expect(lines.slice(1).every((line) => line.includes(serviceAccount) && line.includes('forbidden'))).toBe(true);

    // Newest first: the configmap read was the service account's last request.
    await page.goto(`${baseUrl}/events?user=${encodeURIComponent(serviceAccount)}&pageSize=25`);
    await expect(rowsOf(page, 'Audit events').count()).resolves.toBe(8);
    await expect(rowsOf(page, 'Audit events').first().textContent()).resolves.toContain('web-config');
    await page.context().close();
  });

  it('shows the overview charts over the seeded range', async () => {
    const page = await openPage();
    await page.goto(`${baseUrl}/?from=${at(-3600)}&to=${at(3600)}`);
    for (const name of ['Alerts over time by severity', 'Secret access by outcome']) {
      const bars = page.getByRole('figure', { name }).locator('.recharts-bar-rectangle');
      await expect.poll(() => bars.count(), { message: name }).toBeGreaterThan(0);
    }
    await expect(page.locator('main').textContent()).resolves.toContain(serviceAccount);
    await saveScreenshot(page, 'overview');
    await page.context().close();
  });
});
