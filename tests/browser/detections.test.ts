import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ruleCatalog } from '../../lib/detections/registry';
import { openSignedInPage } from '../support/accounts';
import { launchChromium } from '../support/chromium';
import { saveScreenshot } from '../support/screenshots';

const baseUrl = inject('baseUrl');
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  page = await openSignedInPage(browser, baseUrl, inject('sessionCookies').admin, {
    viewport: { width: 1366, height: 900 },
  });
});
afterAll(async () => {
  await browser?.close();
});

describe('detections in the background', () => {
  it('shows on the Jobs page that every rule ran over the seeded demo data, and the planted attacks raised alerts', async () => {
    // The demo seed queued one detect job per batch; the worker picks them up within seconds.
    const runs = page.getByRole('region', { name: 'Rule runs' });
    for (let attempt = 0; attempt < 60; attempt++) {
      await page.goto(`${baseUrl}/jobs`);
      if ((await runs.getByText('Not run yet').count()) === 0) break;
      await page.waitForTimeout(1000);
    }
    await expect(runs.getByText('Not run yet').count()).resolves.toBe(0);
    await expect(runs.locator('tbody tr').count()).resolves.toBe(ruleCatalog.length);
    await saveScreenshot(page, 'jobs');

    await page.goto(baseUrl);
    const openAlerts = await page.locator('.figure', { hasText: 'Open alerts' }).locator('.figure-value').textContent();
    expect(Number(openAlerts)).toBeGreaterThanOrEqual(ruleCatalog.length);
  });

  it('shows each rule’s alert counts and its investigation guide, rendered as text, on the Rules page', async () => {
    await page.goto(`${baseUrl}/rules`);
    const guides = page.getByRole('region', { name: 'Investigation guides' });
    await expect(guides.locator('details').count()).resolves.toBe(ruleCatalog.length);
    const first = guides.locator('details').first();
    await first.locator('summary').click();
    await expect(first.locator('h4', { hasText: 'Triage' }).count()).resolves.toBe(1);
    await expect(first.locator('script').count()).resolves.toBe(0);
    await saveScreenshot(page, 'rules-with-guide');
  });

  it('tunes a rule with a recorded change, and previews a rule over the stored events without writing', async () => {
    await page.goto(`${baseUrl}/rules`);
    // A click before hydration posts the form natively (a full navigation) instead of running the action:
    // on a loaded machine hydration lags, so wait until the page's own fetches (the sidebar's views) are done.
    await page.waitForLoadState('networkidle');
    const settings = page.getByRole('form', { name: 'Settings of rapid-secret-get-multiple-objects' });
    await settings.getByLabel('minDistinctSecrets').fill('4');
    await settings.getByRole('button', { name: 'Save' }).click();
    await settings.getByText('Saved 1 change(s).').waitFor();
    const log = page.getByRole('list', { name: 'Changes to rapid-secret-get-multiple-objects' });
    await log.waitFor();
    await expect(log.locator('li').first().textContent()).resolves.toContain(
      `${inject('accountEmails').admin} changed parameters.minDistinctSecrets from 3 to 4`,
    );

    await settings.getByLabel('minDistinctSecrets').fill('0');
    await settings.getByRole('button', { name: 'Save' }).click();
    await settings.getByText(/minDistinctSecrets: /).waitFor();

    const previewForm = page.getByRole('form', { name: 'Preview of secret-read-by-node-or-pod-sa' });
    // The range it opens on is one the preview accepts, however long the store spans (the suite's other
    // files upload events from 2026 to 2049 into this app).
    await previewForm.getByRole('button', { name: 'Preview' }).click();
    const result = page.getByRole('status').filter({ hasText: 'Would raise' });
    await result.waitFor();
    await expect(result.textContent()).resolves.toMatch(/Would raise \d+ alert\(s\).*Nothing was written/);

    // The demo seed's six hours end when the app started: its planted node credential theft is found.
    const minute = (time: number) => new Date(time).toISOString().slice(0, 16);
    await previewForm.getByLabel('From (UTC)').fill(minute(Date.now() - 2 * 86_400_000));
    await previewForm.getByLabel('To (UTC)').fill(minute(Date.now() + 3_600_000));
    await previewForm.getByRole('button', { name: 'Preview' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /Would raise [1-9]\d* alert\(s\)/ })
      .waitFor();
    await expect(result.textContent()).resolves.toMatch(/Would raise [1-9]\d* alert\(s\).*Nothing was written/);
    await saveScreenshot(page, 'rules-tune-and-preview');
  });
});
