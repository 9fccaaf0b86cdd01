// Every console page at 1366×768 and 1920×1080, light and dark, in a New York browser: nothing
// wider than the window (wide tables scroll inside their own box), identifiers clipped with their
// full value in a tooltip, one UTC time format. Screenshots of each are saved to be looked at.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openSignedInPage } from '../support/accounts';
import { ndjson } from '../support/audit-events';
import { launchChromium } from '../support/chromium';
import { auditRequest } from '../support/investigation-events';
import { runCli } from '../support/run-cli';
import { saveScreenshot } from '../support/screenshots';

const baseUrl = inject('baseUrl');
const sessions = inject('sessionCookies');
const cliEnv = { DATABASE_URL: inject('databaseUrl') };

const id = randomUUID().slice(0, 8);
const serviceAccount = `system:serviceaccount:payments-processing-production:transaction-reconciler-worker-${id}`;
const pod = `transaction-reconciler-worker-7d9c5b8f6-${id}`;
const ip = `10.77.${Number.parseInt(id.slice(0, 2), 16)}.${Number.parseInt(id.slice(2, 4), 16)}`;
const agent = `python-requests/2.32.3 kubernetes-client/31.0.0 (linux; x86_64) reconciler/${id}`;
// Twelve namespaces in a shuffled order: every row lists them sorted, the first few then "+N".
const NAMESPACES = Array.from({ length: 12 }, (_, index) => `tenant-${String.fromCharCode(108 - index)}-${id}`);
const REASON = `RBAC: allowed by ClusterRoleBinding "system:controller:transaction-reconciler-cluster-wide-secret-reader-${id}" of ClusterRole "system:controller:transaction-reconciler-cluster-wide-secret-reader" to ServiceAccount "transaction-reconciler-worker-${id}/payments-processing-production"`;
// A day no other browser test reads.
const at = (seconds: number) => new Date(Date.parse('2026-09-17T13:00:00Z') + seconds * 1000).toISOString();

function seededEvents() {
  const sa = { user: serviceAccount, podName: pod, nodeName: `ip-10-0-3-17.eu-west-1.compute.internal-${id}` };
  const reads = NAMESPACES.map((namespace, index) =>
    auditRequest({
      ...sa,
      sourceIPs: [ip],
      userAgent: agent,
      time: at(index * 8),
      namespace,
      name: `customer-payment-gateway-credentials-${index}-${id}`,
    }),
  );
  return reads.map((event) => ({
    ...event,
    annotations: { ...(event.annotations as Record<string, string>), 'authorization.k8s.io/reason': REASON },
  }));
}

type Urls = { alert: string; user: string; ip: string; pod: string; event: string; incident: string | null };
let browser: Browser;
let urls: Urls;

async function firstHref(page: Page, url: string, selector: string): Promise<string> {
  await page.goto(`${baseUrl}${url}`);
  const href = await page.locator(selector).first().getAttribute('href');
  if (!href) throw new Error(`no ${selector} on ${url}`);
  return href;
}

beforeAll(async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-layout-'));
  const file = path.join(dir, 'audit.ndjson');
  writeFileSync(file, ndjson(seededEvents()));
  const ingested = await runCli(['ingest', file, '--format', 'k8s-audit', '--cluster', `layout-${id}`], cliEnv);
  expect(ingested.code, ingested.stderr).toBe(0);
  const detected = await runCli(['detect', '--from', at(-600), '--to', at(600)], cliEnv);
  expect(detected.code, detected.stderr).toBe(0);
  browser = await launchChromium();
  const page = await openSignedInPage(browser, baseUrl, sessions.admin);
  const alert = await firstHref(
    page,
    `/alerts?status=all&user=${encodeURIComponent(serviceAccount)}`,
    'table a[href^="/alerts/"]',
  );
  await page.goto(`${baseUrl}${alert}`);
  const user = await page.locator(`a[href^="/entities/users/"]`).first().getAttribute('href');
  const ipHref = await page.locator(`a[href^="/entities/ips/${ip}"]`).first().getAttribute('href');
  const podHref = await page.locator(`a[href^="/entities/pods/"]`).first().getAttribute('href');
  const event = await firstHref(
    page,
    `/events?user=${encodeURIComponent(serviceAccount)}&from=${at(-60)}&to=${at(600)}`,
    'table a[href*="event="]',
  );
  await page.goto(`${baseUrl}/incidents`);
  const incident = await page.locator('table a[href^="/incidents/"]').first().getAttribute('href');
  urls = { alert, user: user!, ip: ipHref!, pod: podHref!, event, incident };
  await page.context().close();
}, 180_000);
afterAll(async () => {
  await browser?.close();
});

/** Whatever sticks out past the window's right edge and no scrolling or clipping box holds. */
async function measureOverflow(page: Page) {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const offenders: string[] = [];
    for (const element of document.querySelectorAll('body *')) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || box.right <= width + 1) continue;
      let held = false;
      for (let parent = element.parentElement; parent && !held; parent = parent.parentElement) {
        held = getComputedStyle(parent).overflowX !== 'visible' && parent.getBoundingClientRect().right <= width + 1;
      }
      if (held) continue;
      const name = `${element.tagName.toLowerCase()}${element.className && typeof element.className === 'string' ? `.${element.className.split(' ').join('.')}` : ''}`;
      offenders.push(`${name} right=${Math.round(box.right)} "${(element.textContent ?? '').slice(0, 40)}"`);
    }
    return { scrollWidth: document.documentElement.scrollWidth, width, offenders: offenders.slice(0, 8) };
  });
}

const pages: [string, (page: Page) => Promise<void>][] = [
  ['overview', (page) => go(page, '/')],
  ['alerts-all', (page) => go(page, '/alerts?status=all')],
  ['alerts-open', (page) => go(page, '/alerts')],
  [
    'alerts-grouped',
    async (page) => {
      await go(page, '/alerts?status=all&group=user');
      await page.locator('.group-list a.group-toggle[aria-expanded="false"]').first().click();
      await page.locator('.group-list table').first().waitFor();
    },
  ],
  ['alert', (page) => go(page, urls.alert)],
  ['entity-user', (page) => go(page, urls.user)],
  ['entity-ip', (page) => go(page, urls.ip)],
  ['entity-pod', (page) => go(page, urls.pod)],
  ['events', (page) => go(page, '/events')],
  ['events-open', (page) => go(page, urls.event)],
  ['rules', (page) => go(page, '/rules')],
  ['allowlist', (page) => go(page, '/allowlist')],
  ['incidents', (page) => go(page, '/incidents')],
  ['incident', (page) => go(page, urls.incident ?? '/incidents')],
  ['uploads', (page) => go(page, '/uploads')],
  ['jobs', (page) => go(page, '/jobs')],
  ['notifications', (page) => go(page, '/notifications')],
  ['settings-users', (page) => go(page, '/settings/users')],
  ['settings-tokens', (page) => go(page, '/settings/tokens')],
  ['settings-data', (page) => go(page, '/settings/data')],
  ['settings-notifications', (page) => go(page, '/settings/notifications')],
];

async function go(page: Page, url: string) {
  await page.goto(`${baseUrl}${url}`);
  await page.locator('h1').first().waitFor();
}

describe.each([
  { width: 1366, height: 768, colorScheme: 'light' as const },
  { width: 1920, height: 1080, colorScheme: 'dark' as const },
  { width: 1366, height: 768, colorScheme: 'dark' as const },
  { width: 1920, height: 1080, colorScheme: 'light' as const },
])('at $width×$height, $colorScheme', ({ width, height, colorScheme }) => {
  let page: Page;
  beforeAll(async () => {
    page = await openSignedInPage(browser, baseUrl, sessions.admin, {
      viewport: { width, height },
      colorScheme,
      timezoneId: 'America/New_York',
    });
  });
  afterAll(async () => {
    await page?.context().close();
  });

  it.each(pages)('%s fits the window', async (name, open) => {
    await open(page);
    const measured = await measureOverflow(page);
    await saveScreenshot(page, `fit-${name}-${width}-${colorScheme}`);
    expect(measured.offenders, `${name}: sticks out of ${width}px`).toEqual([]);
    expect(measured.scrollWidth, name).toBeLessThanOrEqual(measured.width);
    // The theme follows the system setting.
    await expect(page.evaluate(() => document.documentElement.classList.contains('dark'))).resolves.toBe(
      colorScheme === 'dark',
    );
  });
});

describe('reading cleanly', () => {
  let page: Page;
  beforeAll(async () => {
    page = await openSignedInPage(browser, baseUrl, sessions.admin, {
      viewport: { width: 1366, height: 768 },
      timezoneId: 'America/New_York',
    });
  });
  afterAll(async () => {
    await page?.context().close();
  });

  it('shows the open event with its Close link and RBAC reason inside the window', async () => {
    await go(page, urls.event);
    const detail = page.getByRole('region', { name: 'Event details' });
    for (const locator of [detail.getByRole('link', { name: 'Close' }), detail.getByText(REASON)]) {
      const box = await locator.boundingBox();
      expect(box).not.toBeNull();
      expect(box!.x + box!.width).toBeLessThanOrEqual(1366);
    }
  });

  it('lists the namespaces sorted, the first few then +N with all of them in the tooltip', async () => {
    await go(page, `/alerts?status=all&user=${encodeURIComponent(serviceAccount)}`);
    const row = page.getByRole('table', { name: 'Alerts', exact: true }).locator('tbody tr').first();
    const more = row.locator('.col-pod .more-count');
    await expect(more.textContent()).resolves.toMatch(/^\+\d+$/);
    const sorted = [...NAMESPACES].sort();
    await expect(more.getAttribute('title')).resolves.toBe(sorted.join('\n'));
    const shown = await row.locator('.col-pod .value-list .clip-text').allTextContents();
    expect(shown).toEqual(sorted.slice(0, 3));
    await expect(more.textContent()).resolves.toBe('+9');
    const height = await row.evaluate((element) => element.getBoundingClientRect().height);
    expect(height).toBeLessThan(140); // twelve namespaces once made a row 156 px tall
    const user = row.locator('.clip-text', { hasText: 'system:serviceaccount' }).first();
    await expect(user.getAttribute('title')).resolves.toContain(serviceAccount);
    const clipped = await user.evaluate((element) => element.scrollWidth > element.clientWidth);
    expect(clipped).toBe(true);
    await saveScreenshot(page, 'fit-alert-row');
  });

  it('shows every time in one UTC format, whatever the browser zone', async () => {
    await go(page, urls.alert);
    const facts = await page.locator('.alert-facts').textContent();
    expect(facts).toContain('2026-09-17 13:00:00 UTC');
    await go(page, urls.event);
    await expect(page.locator('.event-table a[href*="event="]').first().textContent()).resolves.toMatch(
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/,
    );
  });

  it('reads the UTC inputs as UTC in a New York browser', async () => {
    await go(page, '/alerts?status=all');
    const from = page.getByLabel('From (UTC)');
    await from.fill('2026-09-17 12:59:00');
    await page.getByLabel('To (UTC)').fill('2026-09-17 13:10:00');
    await page.locator('form[aria-label="Alert filters"] input[name=user]').fill(serviceAccount);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/from=/);
    await expect(page.getByLabel('From (UTC)').inputValue()).resolves.toBe('2026-09-17 12:59:00');
    // Read as New York time the range would start at 17:59 UTC and hold none of the seeded alert.
    await expect(page.locator('table tbody tr', { hasText: 'system:serviceaccount' }).count()).resolves.toBeGreaterThan(
      0,
    );
  });
});
