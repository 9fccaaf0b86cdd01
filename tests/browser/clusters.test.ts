// Clusters in the browser: logs of three clusters uploaded through the Uploads page (each request
// logged at two stages), then the queue's Cluster column, filter and grouping, a bulk change of
// whole groups, the false-positive form's cluster condition with its impact preview, a closed
// alert's reason changed, the entity page per cluster, the explorer's column and the Allowlist
// page's own entry form. Screenshots at 1366 px. Event times are on 2026-10-07, which no other
// browser test uses.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openSignedInPage } from '../support/accounts';
import { nativeEvent, ndjson } from '../support/audit-events';
import { launchChromium } from '../support/chromium';
import { saveScreenshot } from '../support/screenshots';
import { waitFor } from '../support/wait-for';

const baseUrl = inject('baseUrl');
const RULE = 'rapid-secret-get-multiple-objects';
const MINUTE = 60_000;
const tag = randomUUID().slice(0, 6);
// A service account is one identity per cluster, so the same activity raises an alert in each.
const user = `system:serviceaccount:ci:deployer-${tag}`;
const clusters = [`eu-${tag}`, `us-${tag}`, `ap-${tag}`] as const;
const START = Date.parse('2026-10-07T09:00:00Z');

let browser: Browser;
let page: Page;
const dialogs: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  page = await openSignedInPage(browser, baseUrl, inject('sessionCookies').analyst, {
    viewport: { width: 1366, height: 900 },
  });
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
});
afterAll(async () => {
  await browser?.close();
});

/** Five distinct secret GETs 10 s apart from `start`, each request at RequestReceived and ResponseComplete. */
function burst(start: number, cluster: string) {
  return ['db-password', 'stripe-key', 'tls-cert', 'oauth-client', 'registry-pull'].flatMap((name, index) => {
    const received = new Date(start + index * 10_000);
    const request = {
      auditID: randomUUID(),
      user: { username: user, groups: ['system:serviceaccounts', 'system:authenticated'] },
      sourceIPs: ['10.44.0.9'],
      requestURI: `/api/v1/namespaces/ci/secrets/${name}-${cluster}`,
      objectRef: { resource: 'secrets', namespace: 'ci', name: `${name}-${cluster}`, apiVersion: 'v1' },
      requestReceivedTimestamp: received.toISOString(),
    };
    return [
      nativeEvent({
        ...request,
        stage: 'RequestReceived',
        stageTimestamp: received.toISOString(),
        responseStatus: undefined,
      }),
      nativeEvent({
        ...request,
        stage: 'ResponseComplete',
        stageTimestamp: new Date(received.getTime() + 4).toISOString(),
      }),
    ];
  });
}

function writeFixture(cluster: string, index: number) {
  // Two bursts 20 minutes apart in the first cluster, one in each other.
  const events = [
    burst(START + index * 2 * MINUTE, cluster),
    ...(index === 0 ? [burst(START + 20 * MINUTE, cluster)] : []),
  ];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-clusters-'));
  const file = path.join(dir, `audit-${cluster}.ndjson`);
  writeFileSync(file, ndjson(events.flat()));
  return file;
}

const queueRows = () => page.getByRole('table', { name: 'Alerts', exact: true }).locator('tbody tr');
const queueHref = (extra = '', status = 'all') =>
  `${baseUrl}/alerts?status=${status}&rule=${RULE}&user=${encodeURIComponent(user)}${extra}`;
const cellsOf = (column: string) =>
  page.evaluate((header) => {
    const table = document.querySelector('table[aria-label="Alerts"]')!;
    const at = [...table.querySelectorAll('thead th')].findIndex((th) => th.textContent?.trim() === header);
    return [...table.querySelectorAll('tbody tr')].map((tr) => tr.children[at]?.textContent?.trim() ?? '');
  }, column);

describe('clusters in the browser', () => {
  it('uploads logs of three clusters and the queue shows, filters and groups by cluster', async () => {
    await page.goto(`${baseUrl}/uploads`);
    const session = page.getByRole('region', { name: "This session's uploads" });
    for (const [index, cluster] of clusters.entries()) {
      await page.getByLabel('Cluster').fill(cluster);
      await page.getByLabel('Audit log files').setInputFiles(writeFixture(cluster, index));
      await session
        .locator('li', { hasText: `audit-${cluster}.ndjson` })
        .locator('.status-done')
        .waitFor({ timeout: 30_000 });
    }

    // The worker detects each cluster's upload on its own.
    await waitFor('four alerts across three clusters', 60_000, async () => {
      await page.goto(queueHref());
      return (await queueRows().count()) === 4 ? true : undefined;
    });
    expect((await cellsOf('Cluster')).sort()).toEqual([clusters[0], clusters[0], clusters[1], clusters[2]].sort());
    await saveScreenshot(page, 'clusters-queue');

    // The filter bar's cluster choice lands in the URL.
    const filters = page.getByRole('form', { name: 'Alert filters' });
    await filters.getByLabel('Cluster').selectOption(clusters[0]);
    await filters.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(new RegExp(`cluster=${clusters[0]}`));
    await expect(queueRows().count()).resolves.toBe(2);
    expect(await cellsOf('Cluster')).toEqual([clusters[0], clusters[0]]);

    // Sorted by the risk column, through the URL.
    await page.goto(queueHref());
    await page.getByRole('link', { name: 'Risk', exact: true }).click();
    await page.waitForURL(/sort=riskScore/);
    await expect(queueRows().count()).resolves.toBe(4);

    // Grouped by cluster: one line per cluster, largest first; clicking the line (not the ▸) opens it.
    await page.getByLabel('Group by').selectOption('cluster');
    await page.waitForURL(/group=cluster/);
    const groups = page.getByRole('list', { name: 'Alerts grouped by cluster' }).locator('> li');
    await expect(groups.count()).resolves.toBe(3);
    await expect(groups.first().locator('.group-label').textContent()).resolves.toBe(clusters[0]);
    await expect(groups.first().locator('.group-count').textContent()).resolves.toBe('2');
    await groups.first().locator('.group-label').click();
    await page.waitForURL(/expand=/);
    await page
      .getByRole('table', { name: `Alerts of ${clusters[0]}` })
      .locator('tbody tr')
      .nth(1)
      .waitFor();
    await saveScreenshot(page, 'clusters-grouped');
  });

  it('acknowledges two whole groups in one bulk action', async () => {
    await page.goto(queueHref('&group=cluster'));
    for (const cluster of [clusters[1], clusters[2]])
      await page.getByRole('checkbox', { name: `Select the 1 alert(s) of ${cluster}` }).check();
    const bar = page.getByRole('form', { name: 'Change selected alerts' });
    await expect(bar.locator('strong').first().textContent()).resolves.toBe('2 alert(s) in 2 group(s)');
    await saveScreenshot(page, 'clusters-grouped-bulk');
    await bar.getByLabel('Status').selectOption('acknowledged');
    await bar.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('status').filter({ hasText: 'Updated 2 of 2 alert(s).' }).waitFor();

    await page.goto(queueHref());
    const statuses = await page.evaluate(() =>
      [...document.querySelectorAll('table[aria-label="Alerts"] tbody tr')].map((tr) => tr.textContent ?? ''),
    );
    for (const [cluster, status] of [
      [clusters[0], 'Open'],
      [clusters[1], 'Acknowledged'],
      [clusters[2], 'Acknowledged'],
    ] as [string, string][])
      expect(statuses.filter((text) => text.includes(cluster)).every((text) => text.includes(status))).toBe(true);
  });

  it("closes one cluster's alerts as false positive with a cluster condition, then changes the close reason", async () => {
    await page.goto(queueHref(`&cluster=${clusters[0]}&sort=firstEventAt&dir=asc`));
    await queueRows().first().getByRole('link', { name: 'Rapid secret GETs against multiple objects' }).click();
    await page.waitForURL(/\/alerts\/[0-9a-f-]{36}$/);
    const alertUrl = page.url();
    await expect(page.getByRole('region', { name: 'Entities' }).textContent()).resolves.toContain(clusters[0]);

    await page.getByRole('button', { name: 'Close as false positive…' }).click();
    const form = page.getByRole('form', { name: 'Close as false positive' });
    await expect(form.getByRole('textbox', { name: 'Cluster is' }).inputValue()).resolves.toBe(clusters[0]);
    await form.getByRole('checkbox', { name: 'Cluster is' }).check();
    await form.getByRole('button', { name: 'Preview impact' }).click();
    const impact = form.getByRole('status', { name: 'Impact preview' });
    await impact.waitFor();
    await expect(impact.textContent()).resolves.toMatch(/Saving closes 2 open alert\(s\)/);
    const lines = await impact.locator('li').allTextContents();
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toContain(`cluster ${clusters[0]}`);
    await form.getByLabel('Reason').fill(`Deploys in ${clusters[0]} read these secrets`);
    await saveScreenshot(page, 'clusters-false-positive');
    await form.getByRole('button', { name: 'Save entry and close' }).click();

    // The form closes; its outcome stays beside the triage controls.
    await page.getByRole('status').filter({ hasText: '2 alert(s) closed as false positive' }).waitFor();
    await expect(form.count()).resolves.toBe(0);
    const header = page.locator('[aria-label="Alert summary"]');
    await header.getByText('Closed · False positive').waitFor();

    await header.getByLabel('New close reason').selectOption('benign_positive');
    await header.getByRole('button', { name: 'Change reason' }).click();
    await header.getByText('Closed · Benign positive').waitFor();
    const history = page.getByRole('region', { name: 'History' });
    await history.getByText(/from False positive to Benign positive/).waitFor();
    await saveScreenshot(page, 'clusters-reason-changed');
    expect(page.url()).toBe(alertUrl);

    // The same activity in the other clusters is untouched.
    await page.goto(queueHref('', 'acknowledged'));
    await expect(queueRows().count()).resolves.toBe(2);
  });

  it('shows the entity per cluster, the explorer’s cluster column, and adds an allowlist entry from its page', async () => {
    await page.goto(`${baseUrl}/entities/users/${encodeURIComponent(user)}`);
    const perCluster = page.getByRole('region', { name: 'Clusters' });
    await expect(perCluster.locator('tbody tr').count()).resolves.toBe(3);
    await perCluster.getByRole('link', { name: `Only cluster ${clusters[1]}` }).click();
    await page.waitForURL(new RegExp(`cluster=${clusters[1]}`));
    // Its alerts narrowed too: every rule's, all of this cluster, one of them the burst.
    const related = page.getByRole('table', { name: 'Related alerts' });
    await related.locator('tbody tr').first().waitFor();
    const relatedRows = await related.locator('tbody tr').allTextContents();
    expect(relatedRows.every((text) => text.includes(clusters[1]))).toBe(true);
    expect(relatedRows.filter((text) => text.includes('Rapid secret GETs'))).toHaveLength(1);
    await saveScreenshot(page, 'clusters-entity');

    const range = `from=2026-10-07T08:00:00Z&to=2026-10-07T10:00:00Z`;
    await page.goto(`${baseUrl}/events?user=${encodeURIComponent(user)}&cluster=${clusters[2]}&${range}`);
    const table = page.locator('table.event-table');
    await table.locator('tbody tr').first().waitFor();
    const clusterCells = await page.evaluate(() => {
      const events = document.querySelector('table.event-table')!;
      const at = [...events.querySelectorAll('thead th')].findIndex((th) => th.textContent?.trim() === 'Cluster');
      return [...events.querySelectorAll('tbody tr')].map((tr) => tr.children[at]?.textContent?.trim());
    });
    expect(clusterCells).toEqual(Array(5).fill(clusters[2]));
    await saveScreenshot(page, 'clusters-explorer');

    await page.goto(`${baseUrl}/allowlist`);
    await page.getByRole('button', { name: 'Add an entry…' }).click();
    const create = page.getByRole('form', { name: 'Add an allowlist entry' });
    await create.getByLabel('Field').selectOption('cluster');
    await create.getByLabel('Match').selectOption('oneOf');
    await create.getByLabel('Value').fill(clusters[2]);
    await create.getByRole('button', { name: 'Add condition' }).click();
    await create.getByLabel('Value').nth(1).fill(user);
    await create.getByLabel('Applies to').selectOption(RULE);
    await create.getByLabel('Reason').fill(`CI deployer in ${clusters[2]}`);
    await create.getByRole('button', { name: 'Preview impact' }).click();
    await expect(create.getByRole('status', { name: 'Impact preview' }).textContent()).resolves.toMatch(
      /Saving closes 1 open alert/,
    );
    await saveScreenshot(page, 'clusters-allowlist-add');
    await create.getByRole('button', { name: 'Add entry' }).click();
    await page.getByRole('status').filter({ hasText: 'Entry added; 1 open alert(s)' }).waitFor();
    await expect(create.count()).resolves.toBe(0);
    const entry = page.getByRole('table', { name: 'Allowlist entries' }).locator('tbody tr', {
      hasText: `CI deployer in ${clusters[2]}`,
    });
    await expect(entry.textContent()).resolves.toContain(clusters[2]);
    await saveScreenshot(page, 'clusters-allowlist');
    expect(dialogs).toEqual([]);
  });
});
