import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ruleCatalog } from '../../lib/detections/registry';
import { cookieHeader, openSignedInPage } from '../support/accounts';
import { launchChromium } from '../support/chromium';
import { saveScreenshot } from '../support/screenshots';

const baseUrl = inject('baseUrl');
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  page = await openSignedInPage(browser, baseUrl, inject('sessionCookies').admin, {
    viewport: { width: 1366, height: 850 },
  });
});
afterAll(async () => {
  await browser?.close();
});

describe('console shell', () => {
  it('opens on the overview with healthy system status and the seeded rules', async () => {
    await page.goto(baseUrl);
    await expect(page.locator('h1').textContent()).resolves.toBe('Overview');
    const health = page.getByRole('region', { name: 'System health' });
    for (const check of ['Database', 'Migrations', 'Worker']) {
      await expect(health.locator('li', { hasText: check }).getAttribute('data-ok')).resolves.toBe('true');
    }
    await expect(
      page.locator('.figure', { hasText: 'Rules enabled' }).locator('.figure-value').textContent(),
    ).resolves.toBe(`${ruleCatalog.length} of ${ruleCatalog.length}`);
    await saveScreenshot(page, 'overview');
  });

  it.each([
    ['Alerts', '/alerts'],
    ['Incidents', '/incidents'],
    ['Events', '/events'],
    ['Rules', '/rules'],
    ['Allowlist', '/allowlist'],
    ['Uploads', '/uploads'],
    ['Jobs', '/jobs'],
    ['Deliveries', '/notifications'],
    ['Overview', '/'],
  ])('navigates to %s from the sidebar and marks it current', async (label, href) => {
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: label, exact: true }).click();
    await page.waitForURL(`${baseUrl}${href}`);
    await expect(page.locator('h1').textContent()).resolves.toBe(label);
    await expect(page.locator('[aria-current="page"]').textContent()).resolves.toBe(label);
    await saveScreenshot(page, `nav-${label.toLowerCase()}`);
  });

  it('lists every rule with severity, risk and MITRE technique on the Rules page', async () => {
    await page.goto(`${baseUrl}/rules`);
    const rows = page.getByRole('region', { name: 'Rule catalog' }).locator('tbody tr');
    await expect(rows.count()).resolves.toBe(ruleCatalog.length);
    for (const rule of ruleCatalog) {
      const row = rows.filter({ hasText: rule.name });
      await expect(row.locator('.badge').textContent()).resolves.toBe(rule.severity);
      await expect(row.textContent()).resolves.toContain(String(rule.riskScore));
      const technique = rule.mitre[0]?.subtechnique ?? rule.mitre[0]?.technique;
      await expect(row.textContent()).resolves.toContain(technique?.id);
    }
    await saveScreenshot(page, 'rules');
  });

  it('answers /api/health with 200 and the three checks', async () => {
    const response = await fetch(`${baseUrl}/api/health`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, { ok: boolean }>;
    expect(body).toEqual({ ok: true, database: { ok: true }, migrations: { ok: true }, worker: { ok: true } });
  });

  it('gives the health details (latency, migrations, workers) only to a signed-in caller', async () => {
    const response = await fetch(`${baseUrl}/api/health`, {
      headers: { cookie: cookieHeader(inject('sessionCookies').viewer) },
    });
    const body = (await response.json()) as { database: { latencyMs?: number }; migrations: { applied?: number } };
    expect(body.database.latencyMs).toEqual(expect.any(Number));
    expect(body.migrations.applied).toBeGreaterThan(0);
  });
});
