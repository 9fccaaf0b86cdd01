// Saved views in the browser: an analyst saves the queue's filter shared and another private; a viewer
// sees the shared one (and never the private one) in the sidebar, with counts that follow triage; the
// owner renames and deletes their view.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openSignedInPage } from '../support/accounts';
import { nativeEvent, ndjson } from '../support/audit-events';
import { launchChromium } from '../support/chromium';
import { runCli } from '../support/run-cli';
import { saveScreenshot } from '../support/screenshots';

const baseUrl = inject('baseUrl');
const sessions = inject('sessionCookies');
const cliEnv = { DATABASE_URL: inject('databaseUrl') };
const SECRETS = ['sv-db-password', 'sv-stripe-key', 'sv-tls-cert', 'sv-oauth-client', 'sv-registry-pull'];
const MINUTE = 60_000;
// A day no other browser test uses.
const START = new Date('2026-10-16T05:00:00Z');

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** Three bursts of secret GETs 20 minutes apart by one user: three alerts, through the CLI. */
async function raiseAlerts(user: string) {
  const events = [0, 1, 2].flatMap((burst) =>
    SECRETS.map((name, index) => {
      const time = new Date(START.getTime() + burst * 20 * MINUTE + index * 10_000).toISOString();
      return nativeEvent({
        user: { username: user, groups: ['system:authenticated'] },
        sourceIPs: ['10.72.0.4'],
        userAgent: 'kubectl/v1.30.2 (linux/amd64) kubernetes/39683505',
        requestURI: `/api/v1/namespaces/shop/secrets/${name}`,
        objectRef: { resource: 'secrets', namespace: 'shop', name, apiVersion: 'v1' },
        requestReceivedTimestamp: time,
        stageTimestamp: time,
      });
    }),
  );
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'vigil-views-')), 'audit.ndjson');
  writeFileSync(file, ndjson(events));
  const ingested = await runCli(['ingest', file, '--cluster', 'views-test'], cliEnv);
  expect(ingested.code, ingested.stderr).toBe(0);
  const detected = await runCli(
    [
      'detect',
      '--from',
      new Date(START.getTime() - 10 * MINUTE).toISOString(),
      '--to',
      new Date(START.getTime() + 70 * MINUTE).toISOString(),
    ],
    cliEnv,
  );
  expect(detected.code, detected.stderr).toBe(0);
}

const sidebarViews = (page: Page) => page.getByRole('navigation', { name: 'Saved views' });
const viewLink = (page: Page, name: string) =>
  sidebarViews(page).getByRole('link', { name: new RegExp(`^${name}\\s*\\d`) });
const queueRows = (page: Page) => page.getByRole('table', { name: 'Alerts', exact: true }).locator('tbody tr');

async function saveView(page: Page, name: string, shared: boolean) {
  await page.getByRole('button', { name: 'Save view…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Save this view of the queue' });
  await dialog.getByLabel('Name').fill(name);
  if (shared) await dialog.getByRole('checkbox', { name: /Share with the team/ }).check();
  await dialog.getByRole('button', { name: 'Save view' }).click();
  await page.getByRole('status').getByText(`Saved the view “${name}”`).waitFor();
  await dialog.waitFor({ state: 'hidden' });
}

describe('saved views', () => {
  it('saves shared and private views, lists them with live counts, shows only the shared one to others, renames and deletes', async () => {
    const tag = randomUUID().slice(0, 6);
    const user = `views-${tag}@corp.test`;
    await raiseAlerts(user);
    const shared = `Team ${tag}`;
    const mine = `Mine ${tag}`;

    const analyst = await openSignedInPage(browser, baseUrl, sessions.analyst);
    await analyst.goto(`${baseUrl}/alerts?user=${encodeURIComponent(user)}&sort=riskScore`);
    await expect(queueRows(analyst).count()).resolves.toBe(3);
    await saveView(analyst, shared, true);
    await expect(viewLink(analyst, shared).textContent()).resolves.toBe(`${shared}3 alertsshared`);

    await analyst.goto(`${baseUrl}/alerts?status=all&user=${encodeURIComponent(user)}&group=rule`);
    await saveView(analyst, mine, false);
    await expect(viewLink(analyst, mine).textContent()).resolves.toBe(`${mine}3 alerts`);
    // Opening a view opens the queue as it was saved, marked as the current view.
    await viewLink(analyst, shared).click();
    await analyst.waitForURL(/sort=riskScore/);
    await expect(new URL(analyst.url()).searchParams.get('user')).toBe(user);
    await expect(queueRows(analyst).count()).resolves.toBe(3);
    await expect(viewLink(analyst, shared).getAttribute('aria-current')).resolves.toBe('page');
    await saveScreenshot(analyst, 'saved-views-sidebar');

    // Another person: the shared view with its count, read-only; the private one is not there.
    const viewer = await openSignedInPage(browser, baseUrl, sessions.viewer);
    await viewer.goto(`${baseUrl}/alerts`);
    await viewLink(viewer, shared).waitFor();
    await expect(viewLink(viewer, shared).textContent()).resolves.toMatch(new RegExp(`^${shared}3 alertsshared by .+`));
    await expect(sidebarViews(viewer).getByText(mine).count()).resolves.toBe(0);
    await expect(
      sidebarViews(viewer)
        .getByRole('button', { name: `Edit view ${shared}` })
        .count(),
    ).resolves.toBe(0);
    await viewLink(viewer, shared).click();
    await viewer.waitForURL(/sort=riskScore/);
    await expect(queueRows(viewer).count()).resolves.toBe(3);
    await saveScreenshot(viewer, 'saved-views-viewer');

    // Triage moves the counts: the open view loses the acknowledged alert, the all-status one keeps it.
    await queueRows(analyst).first().getByRole('checkbox').check();
    const bulk = analyst.getByRole('form', { name: 'Change selected alerts' });
    await bulk.getByLabel('Status').selectOption('acknowledged');
    await bulk.getByRole('button', { name: 'Apply' }).click();
    await analyst.getByRole('status').getByText('Updated 1 of 1 alert(s).').waitFor();
    // The sidebar reloads its counts after the change (and the viewer's on their next page).
    const withCount = (page: Page, name: string, count: number) =>
      sidebarViews(page).getByRole('link', { name: new RegExp(`^${name}\\s*${count} alerts`) });
    await withCount(analyst, shared, 2).waitFor();
    await withCount(analyst, mine, 3).waitFor();
    await viewer.reload();
    await withCount(viewer, shared, 2).waitFor();
    await expect(withCount(viewer, shared, 2).textContent()).resolves.toMatch(/shared by .+$/);

    // The owner renames the private view, then deletes it.
    await sidebarViews(analyst)
      .getByRole('button', { name: `Edit view ${mine}` })
      .click();
    const edit = analyst.getByRole('dialog', { name: `Edit the view “${mine}”` });
    await edit.getByLabel('Name').fill(`${mine} renamed`);
    await edit.getByRole('button', { name: 'Save', exact: true }).click();
    await viewLink(analyst, `${mine} renamed`).waitFor();
    await sidebarViews(analyst)
      .getByRole('button', { name: `Edit view ${mine} renamed` })
      .click();
    const again = analyst.getByRole('dialog', { name: `Edit the view “${mine} renamed”` });
    await again.getByRole('button', { name: 'Delete…' }).click();
    await again.getByRole('button', { name: 'Really delete' }).click();
    await viewLink(analyst, `${mine} renamed`).waitFor({ state: 'detached' });
    await expect(viewLink(analyst, shared).count()).resolves.toBe(1);
    await viewer.context().close();
    await analyst.context().close();
  }, 180_000); // a loaded 2-core machine: one ingest, one detection and a dozen page loads
});
