// Settings → Data in Chromium: an admin sees what raw events take per day and cluster, sets a
// cluster's retention, is asked to confirm when it would drop stored days, and removes it again.
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { bytesOf, nativeEvent, ndjson } from '../support/audit-events';
import { openSignedInPage } from '../support/accounts';
import { launchChromium } from '../support/chromium';
import { saveScreenshot } from '../support/screenshots';
import { ingestStream } from '../../lib/ingest/ingest-stream';

const baseUrl = inject('baseUrl');
const pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 2 });
const CLUSTER = `data-page-${Math.random().toString(36).slice(2, 8)}`;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  // Three days of one cluster of this file's own.
  const records = [0, 1, 2].map((ago) =>
    nativeEvent({ requestReceivedTimestamp: new Date(Date.now() - ago * 86_400_000).toISOString() }),
  );
  await ingestStream(bytesOf(ndjson(records)), { source: 'cli', format: 'k8s-audit', cluster: CLUSTER }, { pool });
  browser = await launchChromium();
  page = await openSignedInPage(browser, baseUrl, inject('sessionCookies').admin);
});
afterAll(async () => {
  await pool.query(`DELETE FROM retention_settings WHERE scope = $1`, [CLUSTER]);
  await pool.end();
  await browser?.close();
});

describe('Settings → Data', () => {
  it('shows disk use per day and cluster, asks before a period that drops stored days, and saves it', async () => {
    await page.goto(`${baseUrl}/settings/data`);
    const usage = page.getByRole('table', { name: 'Disk used per day and cluster' });
    await expect(usage.getByRole('columnheader', { name: CLUSTER }).count()).resolves.toBe(1);
    await expect(page.getByRole('region', { name: 'Retention', exact: true }).textContent()).resolves.toContain(
      'Raw events are kept until you set a period.',
    );

    const form = page.getByRole('form', { name: 'Retention for another cluster' });
    await form.getByLabel('Cluster').fill(CLUSTER);
    await form.getByLabel('Keep raw events for (days)').fill('1');
    await form.getByRole('button', { name: 'Save' }).click();
    const warning = form.getByRole('alert');
    await expect(warning.textContent()).resolves.toMatch(
      new RegExp(
        `Confirm: this makes 2 stored day\\(s\\) of raw events of ${CLUSTER} .*due for dropping.*alert evidence stays`,
      ),
    );
    await saveScreenshot(page, 'data-retention-confirm');
    const stored = await pool.query(`SELECT count(*)::int AS n FROM retention_settings WHERE scope = $1`, [CLUSTER]);
    expect(stored.rows[0].n).toBe(0);

    await form.getByRole('button', { name: 'Confirm and save' }).click();
    await expect(form.getByRole('status').textContent()).resolves.toBe(
      `Saved: ${CLUSTER} keeps raw events for 1 day(s).`,
    );
    await page.reload();
    await expect(page.getByRole('form', { name: `Retention for ${CLUSTER}` }).count()).resolves.toBe(1);
    await expect(page.getByRole('region', { name: 'Next retention run' }).textContent()).resolves.toContain(CLUSTER);
    await saveScreenshot(page, 'data-page');

    const own = page.getByRole('form', { name: `Retention for ${CLUSTER}` });
    await own.getByLabel('Keep raw events for (days)').fill('');
    await own.getByRole('button', { name: 'Save' }).click();
    // Its form goes with its period: the cluster follows the period for every cluster again.
    await page.getByRole('form', { name: `Retention for ${CLUSTER}` }).waitFor({ state: 'detached' });
    const left = await pool.query(`SELECT count(*)::int AS n FROM retention_settings WHERE scope = $1`, [CLUSTER]);
    expect(left.rows[0].n).toBe(0);
  });
});
