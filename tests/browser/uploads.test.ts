import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { gzip, nativeEvent, ndjson } from '../support/audit-events';
import { openSignedInPage } from '../support/accounts';
import { launchChromium } from '../support/chromium';
import { saveScreenshot } from '../support/screenshots';

const baseUrl = inject('baseUrl');
let browser: Browser;
let page: Page;
const dialogs: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  page = await openSignedInPage(browser, baseUrl, inject('sessionCookies').admin, {
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

function writeFixture(name: string, content: string | Buffer) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-upload-'));
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

describe('Uploads page', () => {
  it('uploads several files and shows, per file, the format and what became of every record', async () => {
    const good = writeFixture('cluster-audit.ndjson.gz', gzip(ndjson(Array.from({ length: 25 }, () => nativeEvent()))));
    const hostile = '<img src=x onerror="alert(1)">';
    const mixed = writeFixture(
      'mixed.ndjson',
      ndjson([nativeEvent({ userAgent: hostile }), `{"kind":"Event","auditID":"${hostile}`, nativeEvent({ verb: 42 })]),
    );
    await page.goto(`${baseUrl}/uploads`);
    await page.getByLabel('Audit log files').setInputFiles([good, mixed]);

    const session = page.getByRole('region', { name: "This session's uploads" });
    const goodRow = session.locator('li', { hasText: 'cluster-audit.ndjson.gz' });
    const mixedRow = session.locator('li', { hasText: 'mixed.ndjson' });
    await goodRow.locator('.status-done').waitFor({ timeout: 30_000 });
    await mixedRow.locator('.status-done').waitFor({ timeout: 30_000 });

    const figure = (row: typeof goodRow, label: string) =>
      row.locator('.batch-figures div', { hasText: label }).locator('dd').textContent();
    await expect(figure(goodRow, 'Format')).resolves.toBe('k8s-audit');
    await expect(figure(goodRow, 'Stored')).resolves.toBe('25');
    await expect(figure(mixedRow, 'Stored')).resolves.toBe('1');
    await expect(figure(mixedRow, 'Rejected')).resolves.toBe('2');

    await mixedRow.locator('.rejected-lines summary').click();
    const rejected = mixedRow.locator('.rejected-lines li');
    await expect(rejected.count()).resolves.toBe(2);
    await expect(rejected.nth(0).textContent()).resolves.toMatch(/^line 2/);
    await expect(rejected.nth(1).textContent()).resolves.toMatch(/line 3.*verb/);
    // Attacker-controlled text stays text: no element was created from it, no script ran.
    await expect(page.locator('img[src="x"]').count()).resolves.toBe(0);
    expect(dialogs).toEqual([]);

    await page.getByRole('region', { name: 'Past batches' }).locator('li', { hasText: 'mixed.ndjson' }).waitFor();
    await saveScreenshot(page, 'uploads-done');
  });

  it('explains a file it cannot use and names the supported formats', async () => {
    const notAudit = writeFixture('inventory.csv', 'host,owner\nweb-1,alice\n');
    await page.goto(`${baseUrl}/uploads`);
    await page.getByLabel('Audit log files').setInputFiles(notAudit);
    const row = page
      .getByRole('region', { name: "This session's uploads" })
      .locator('li', { hasText: 'inventory.csv' });
    await row.locator('.status-failed').waitFor({ timeout: 30_000 });
    // One sentence and a link to the formats, listed once on the page; no row of zeros.
    await expect(row.locator('.batch-problem').textContent()).resolves.toMatch(
      /is a supported format\. See the supported formats\.$/,
    );
    await expect(row.locator('.batch-figures').count()).resolves.toBe(0);
    await row.getByRole('link', { name: 'See the supported formats' }).click();
    await expect(page.locator('#supported-formats').textContent()).resolves.toMatch(/k8s-audit.*gke-cloud-audit/s);
    await saveScreenshot(page, 'uploads-unusable-file');
  });
});
