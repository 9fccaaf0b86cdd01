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
const emails = inject('accountEmails');
const cliEnv = { DATABASE_URL: inject('databaseUrl') };
const RULE_NAME = 'Rapid secret GETs against multiple objects';
// Another test tunes this rule's threshold up to 4; five distinct secrets fire it either way.
const SECRETS = ['db-password', 'stripe-key', 'tls-cert', 'oauth-client', 'registry-pull'];
const MINUTE = 60_000;

let browser: Browser;
const dialogs: string[] = [];

function watchDialogs(page: Page) {
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return page;
}

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

type Burst = { user: string; ip: string; start: Date; secrets?: string[]; userAgent?: string; namespace?: string };

/** One client GETting several distinct secrets within a minute: rule R1 raises one alert per burst. */
function burstEvents({ user, ip, start, secrets = SECRETS, userAgent, namespace = 'shop' }: Burst) {
  return secrets.map((name, index) => {
    const time = new Date(start.getTime() + index * 10_000).toISOString();
    return nativeEvent({
      user: { username: user, groups: ['system:authenticated'] },
      sourceIPs: [ip],
      userAgent: userAgent ?? 'kubectl/v1.30.2 (linux/amd64) kubernetes/39683505',
      requestURI: `/api/v1/namespaces/${namespace}/secrets/${name}`,
      objectRef: { resource: 'secrets', namespace, name, apiVersion: 'v1' },
      requestReceivedTimestamp: time,
      stageTimestamp: time,
    });
  });
}

/** Stores the bursts through `vigil ingest` and runs `vigil detect` over their time range. */
async function ingestAndDetect(bursts: Burst[]) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-triage-'));
  const file = path.join(dir, 'audit.ndjson');
  writeFileSync(file, ndjson(bursts.flatMap(burstEvents)));
  const ingested = await runCli(['ingest', file, '--cluster', 'triage-test'], cliEnv);
  expect(ingested.code, ingested.stderr).toBe(0);
  await detectAround(bursts);
}

async function detectAround(bursts: Burst[]) {
  const times = bursts.map((burst) => burst.start.getTime());
  const from = new Date(Math.min(...times) - 10 * MINUTE).toISOString();
  const to = new Date(Math.max(...times) + 10 * MINUTE).toISOString();
  const detected = await runCli(['detect', '--from', from, '--to', to], cliEnv);
  expect(detected.code, detected.stderr).toBe(0);
}

const queueRows = (page: Page) => page.getByRole('table', { name: 'Alerts', exact: true }).locator('tbody tr');

describe('triage in the browser', () => {
  it('opens an alert from the queue, reads the guide, pivots, acknowledges, closes it as a false positive with an allowlist entry, and detection raises nothing new', async () => {
    const user = `ci-deployer-${randomUUID().slice(0, 8)}@corp.test`;
    const start = new Date('2026-11-21T08:00:00Z');
    const bursts = [
      { user, ip: '10.61.0.5', start },
      { user, ip: '10.61.0.5', start: new Date(start.getTime() + 20 * MINUTE) },
    ];
    await ingestAndDetect(bursts);
    const page = watchDialogs(await openSignedInPage(browser, baseUrl, sessions.analyst));

    // The queue, filtered through its search box: the filter lands in the URL.
    await page.goto(`${baseUrl}/alerts`);
    await page.getByRole('form', { name: 'Alert filters' }).getByLabel('Search').fill(user);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/[?&]q=/);
    await expect(queueRows(page).count()).resolves.toBe(2);
    await expect(page.getByRole('link', { name: /^Open \d/ }).textContent()).resolves.toContain('2');
    await saveScreenshot(page, 'alert-queue');

    await queueRows(page).last().getByRole('link', { name: RULE_NAME }).click();
    await page.waitForURL(/\/alerts\/[0-9a-f-]{36}$/);
    const alertUrl = page.url();
    const guide = page.getByRole('region', { name: 'Investigation guide' });
    await expect(guide.locator('h4', { hasText: 'Triage' }).count()).resolves.toBe(1);
    const entities = page.getByRole('region', { name: 'Entities' });
    await expect(entities.textContent()).resolves.toContain('10.61.0.5');
    await expect(page.getByRole('region', { name: 'Evidence' }).locator('tbody tr').count()).resolves.toBe(5);
    await expect(
      page.getByRole('figure', { name: 'Identity timeline' }).locator('.recharts-bar-rectangle').count(),
    ).resolves.toBeGreaterThan(0);
    await saveScreenshot(page, 'alert-detail');

    // A pivot: every alert of this user, whatever its status.
    await entities.getByRole('link', { name: `User ${user}: all alerts` }).click();
    await page.waitForURL(/status=all/);
    await expect(queueRows(page).count()).resolves.toBe(2);
    await page.goto(alertUrl);

    await page.getByRole('button', { name: 'Acknowledge' }).click();
    const header = page.locator('[aria-label="Alert summary"]');
    await header.getByText('Acknowledged', { exact: true }).waitFor();
    const history = page.getByRole('region', { name: 'History' });
    await history.getByText('changed status from Open to Acknowledged').waitFor();
    await expect(history.textContent()).resolves.toContain(emails.analyst);

    await page.getByRole('button', { name: 'Close as false positive…' }).click();
    const form = page.getByRole('form', { name: 'Close as false positive' });
    await expect(form.getByRole('textbox', { name: 'User is exactly' }).inputValue()).resolves.toBe(user);
    await expect(form.getByRole('checkbox', { name: 'User is exactly' }).isChecked()).resolves.toBe(true);
    await expect(form.getByRole('button', { name: 'Save entry and close' }).isDisabled()).resolves.toBe(true);
    await form.getByLabel('Reason').fill('CI deploy job reads its own secrets; ticket OPS-4211');
    await form.getByRole('button', { name: 'Preview impact' }).click();
    const impact = form.getByRole('status', { name: 'Impact preview' });
    await impact.waitFor();
    await expect(impact.textContent()).resolves.toMatch(
      /matched 10 evidence event\(s\) and 2 past alert\(s\).*Saving closes 2 open alert\(s\)/,
    );
    await saveScreenshot(page, 'false-positive-preview');
    await form.getByRole('button', { name: 'Save entry and close' }).click();
    // Saved: the form closes, its outcome shown beside the triage controls.
    await page
      .getByRole('status')
      .filter({ hasText: 'Allowlist entry saved; 2 alert(s) closed as false positive.' })
      .waitFor();
    await form.waitFor({ state: 'detached' });
    await header.getByText('Closed · False positive').waitFor();
    await history.getByText(/Allowlisted by entry “CI deploy job/).waitFor();
    await saveScreenshot(page, 'alert-closed-false-positive');

    // Detection again over the same events, and over new activity of the same user: nothing new is raised.
    const later = { user, ip: '10.61.0.9', start: new Date(start.getTime() + 60 * MINUTE) };
    await detectAround(bursts);
    await ingestAndDetect([later]);
    await page.goto(`${baseUrl}/alerts?status=all&user=${encodeURIComponent(user)}`);
    await expect(queueRows(page).count()).resolves.toBe(2);
    for (const row of await queueRows(page).all())
      await expect(row.textContent()).resolves.toContain('Closed · False positive');
    await expect(page.getByRole('link', { name: /^Open \d/ }).textContent()).resolves.toMatch(/Open\s*0/);

    await page.goto(`${baseUrl}/allowlist`);
    const entry = page.getByRole('row').filter({ hasText: user });
    await expect(entry.textContent()).resolves.toContain('CI deploy job reads its own secrets');
    await expect(entry.textContent()).resolves.toContain(emails.analyst);
    // The re-run and the new burst were both suppressed by the entry (the worker may count them again).
    expect(Number((await entry.locator('td').nth(4).textContent())?.match(/^\d+/)?.[0])).toBeGreaterThanOrEqual(5);
    await saveScreenshot(page, 'allowlist');

    // The entry's life on the Allowlist page: edit, disable, delete.
    await entry.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: /^Edit allowlist entry/ });
    await edit.getByLabel('Reason').fill('CI deploy job; reviewed again in OPS-4300');
    await edit.getByRole('button', { name: 'Save' }).click();
    await entry.getByText('CI deploy job; reviewed again in OPS-4300').waitFor();
    await entry.getByRole('button', { name: 'Disable' }).click();
    await entry.getByText('disabled', { exact: true }).waitFor();
    await entry.getByRole('button', { name: 'Delete' }).click();
    await entry.getByRole('button', { name: 'Really delete' }).click();
    await page.getByRole('row').filter({ hasText: user }).waitFor({ state: 'detached' });
    expect(dialogs).toEqual([]);
    await page.context().close();
  });

  it('changes a selection, then everything matching the filter, in one action each; groups the queue by rule', async () => {
    const user = `bulk-${randomUUID().slice(0, 8)}@corp.test`;
    const start = new Date('2026-11-19T06:00:00Z');
    // 30 bursts ten minutes apart: 30 alerts, more than one page of 25.
    await ingestAndDetect(
      Array.from({ length: 30 }, (_, index) => ({
        user,
        ip: '10.62.0.7',
        start: new Date(start.getTime() + index * 10 * MINUTE),
      })),
    );
    const page = watchDialogs(await openSignedInPage(browser, baseUrl, sessions.analyst));
    await page.goto(`${baseUrl}/alerts?user=${encodeURIComponent(user)}&pageSize=25`);
    await expect(queueRows(page).count()).resolves.toBe(25);

    await queueRows(page).nth(0).getByRole('checkbox').check();
    await queueRows(page).nth(1).getByRole('checkbox').check();
    const bulk = page.getByRole('form', { name: 'Change selected alerts' });
    await expect(bulk.textContent()).resolves.toContain('2 alert(s) selected');
    await bulk.getByLabel('Status').selectOption('acknowledged');
    await bulk.getByLabel('Note').fill('Looking into the deploy pipeline');
    await bulk.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('status').getByText('Updated 2 of 2 alert(s).').waitFor();
    await page.getByRole('link', { name: /^Acknowledged 2$/ }).waitFor();
    await page.getByRole('link', { name: /^Open 28$/ }).waitFor();

    await page.getByRole('checkbox', { name: 'Select every alert on this page' }).check();
    await page.getByRole('button', { name: 'Select all 28 alerts matching the filter' }).click();
    await expect(bulk.textContent()).resolves.toContain('28 alert(s) matching the filter');
    await bulk.getByLabel('Status').selectOption('closed');
    await bulk.getByLabel('Reason').selectOption('duplicate');
    await bulk.getByRole('button', { name: 'Apply' }).click();
    // More than 25: the bar names the count and waits; Cancel changes nothing.
    const confirmation = bulk.getByRole('alertdialog', { name: 'Confirm the bulk change' });
    await expect(confirmation.textContent()).resolves.toContain('This changes 28 alerts.');
    await confirmation.getByRole('button', { name: 'Cancel' }).click();
    await confirmation.waitFor({ state: 'detached' });
    await page.getByRole('link', { name: /^Open 28$/ }).waitFor();
    await bulk.getByRole('button', { name: 'Apply' }).click();
    await saveScreenshot(page, 'alert-queue-bulk');
    await confirmation.getByRole('button', { name: 'Change 28 alerts' }).click();
    await page.getByRole('status').getByText('Updated 28 of 28 alert(s).').waitFor();
    await page.getByRole('link', { name: /^Closed 28$/ }).waitFor();
    await page.getByRole('link', { name: /^Open 0$/ }).waitFor();

    await page.goto(`${baseUrl}/alerts?status=all&user=${encodeURIComponent(user)}&group=rule`);
    const groups = page.getByRole('list', { name: 'Alerts grouped by rule' });
    await expect(groups.locator('.group-row').count()).resolves.toBe(1);
    await expect(groups.locator('.group-count').textContent()).resolves.toBe('30');
    await groups.getByRole('link', { name: `Expand ${RULE_NAME}` }).click();
    await page.getByRole('table', { name: `Alerts of ${RULE_NAME}` }).waitFor();
    await expect(
      page
        .getByRole('table', { name: `Alerts of ${RULE_NAME}` })
        .locator('tbody tr')
        .count(),
    ).resolves.toBe(25);
    await saveScreenshot(page, 'alert-queue-grouped');

    const alertLink = await page
      .getByRole('table', { name: `Alerts of ${RULE_NAME}` })
      .getByRole('link', { name: RULE_NAME })
      .first()
      .getAttribute('href');
    const viewer = await openSignedInPage(browser, baseUrl, sessions.viewer);
    await viewer.goto(`${baseUrl}/alerts?user=${encodeURIComponent(user)}&status=all`);
    await expect(viewer.getByRole('checkbox').count()).resolves.toBe(0);
    await viewer.goto(`${baseUrl}${alertLink}`);
    await viewer.getByRole('region', { name: 'History' }).waitFor();
    await expect(viewer.getByRole('button', { name: /Acknowledge|Close|Reopen/ }).count()).resolves.toBe(0);
    await viewer.context().close();
    await page.context().close();
  });

  it('renders user agents, user names, secret names and namespaces holding HTML or script as inert text everywhere', async () => {
    const user = `<img src=x onerror="alert(1)">${randomUUID().slice(0, 6)}`;
    const userAgent = '<script>alert(2)</script> kubectl';
    const secrets = ['javascript:alert(3)', '<b>bold</b>', '<svg onload=alert(4)>', 'plain-one', 'plain-two'];
    const start = new Date('2026-11-18T03:00:00Z');
    await ingestAndDetect([{ user, ip: '10.63.0.1', start, secrets, userAgent, namespace: '<i>ns</i>' }]);
    const page = watchDialogs(await openSignedInPage(browser, baseUrl, sessions.analyst));
    const expectInert = async () => {
      await expect(page.locator('img[onerror]').count()).resolves.toBe(0);
      await expect(page.locator('svg[onload]').count()).resolves.toBe(0);
      await expect(page.locator('b', { hasText: 'bold' }).count()).resolves.toBe(0);
      await expect(page.locator('i', { hasText: 'ns' }).count()).resolves.toBe(0);
      await expect(page.locator('a[href^="javascript:"]').count()).resolves.toBe(0);
      await expect(page.locator('script', { hasText: 'alert(2)' }).count()).resolves.toBe(0);
    };

    await page.goto(`${baseUrl}/alerts?user=${encodeURIComponent(user)}`);
    await expect(queueRows(page).count()).resolves.toBe(1);
    const row = queueRows(page).first();
    await expect(row.textContent()).resolves.toContain(user);
    await expect(row.textContent()).resolves.toContain('<i>ns</i>');
    await expectInert();
    await page.goto(`${baseUrl}/alerts?q=onerror&status=all&group=user`);
    await expect(page.getByRole('list', { name: 'Alerts grouped by user' }).textContent()).resolves.toContain(user);
    await expectInert();

    await page.goto(`${baseUrl}/alerts?user=${encodeURIComponent(user)}`);
    await row.getByRole('link', { name: RULE_NAME }).click();
    await page.getByRole('region', { name: 'Evidence' }).waitFor();
    const entities = await page.getByRole('region', { name: 'Entities' }).textContent();
    for (const value of [user, userAgent, ...secrets.slice(0, 3), '<i>ns</i>']) expect(entities).toContain(value);
    const original = page.getByRole('region', { name: 'Evidence' }).locator('details').first();
    await original.locator('summary').click();
    await expect(original.locator('pre').textContent()).resolves.toContain('<script>alert(2)</script>');
    await page.getByRole('button', { name: 'Close as false positive…' }).click();
    const form = page.getByRole('form', { name: 'Close as false positive' });
    await expect(form.getByRole('textbox', { name: 'User agent is exactly' }).inputValue()).resolves.toBe(userAgent);
    await form.getByRole('checkbox', { name: 'User agent is exactly' }).check();
    await form.getByLabel('Reason').fill('<script>alert(5)</script> test harness');
    await form.getByRole('button', { name: 'Preview impact' }).click();
    await form.getByRole('status', { name: 'Impact preview' }).waitFor();
    await form.getByRole('button', { name: 'Save entry and close' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /Allowlist entry saved/ })
      .waitFor();
    await page
      .getByRole('region', { name: 'History' })
      .getByText(/Allowlisted by entry “<script>alert\(5\)<\/script> test harness/)
      .waitFor();
    await expectInert();
    await saveScreenshot(page, 'alert-hostile-values');

    await page.goto(`${baseUrl}/allowlist`);
    const entry = page.getByRole('row').filter({ hasText: 'test harness' });
    await expect(entry.textContent()).resolves.toContain(userAgent);
    await expect(entry.textContent()).resolves.toContain(user);
    await expectInert();
    expect(dialogs).toEqual([]);
    await page.context().close();
  });
});
