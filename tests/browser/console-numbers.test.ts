// Numbers that agree, read off the rendered pages: the overview's tiles, Rule health and "Open
// alerts by rule" against the queue's tabs, before and after a bulk acknowledge and an allowlist
// closure; refusals in the analyst's words with the form kept; the investigation details.
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
const cliEnv = { DATABASE_URL: inject('databaseUrl') };
const RULE = 'rapid-secret-get-multiple-objects';
const RULE_NAME = 'Rapid secret GETs against multiple objects';
const SECRETS = ['db-password', 'stripe-key', 'tls-cert', 'oauth-client', 'registry-pull'];
const MINUTE = 60_000;
// An hour of event time no other browser test uses.
const START = new Date('2049-06-01T08:00:00Z');
const RANGE = { from: '2049-06-01T07:00', to: '2049-06-01T12:00' };
const suffix = randomUUID().slice(0, 8);
const users = [0, 1, 2].map((index) => `numbers-${index}-${suffix}@corp.test`);

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  page = await openSignedInPage(browser, baseUrl, inject('sessionCookies').admin, {
    viewport: { width: 1366, height: 900 },
  });
  const events = users.flatMap((user, burst) =>
    SECRETS.map((name, index) => {
      const time = new Date(START.getTime() + burst * 20 * MINUTE + index * 10_000).toISOString();
      return nativeEvent({
        user: { username: user, groups: ['system:authenticated'] },
        sourceIPs: [`10.71.0.${burst + 1}`],
        userAgent: 'kubectl/v1.30.2 (linux/amd64) kubernetes/39683505',
        requestURI: `/api/v1/namespaces/shop/secrets/${name}`,
        objectRef: { resource: 'secrets', namespace: 'shop', name, apiVersion: 'v1' },
        requestReceivedTimestamp: time,
        stageTimestamp: time,
      });
    }),
  );
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'vigil-numbers-')), `numbers-${suffix}.ndjson`);
  writeFileSync(file, ndjson(events));
  const ingested = await runCli(['ingest', file, '--cluster', 'numbers-test'], cliEnv);
  expect(ingested.code, ingested.stderr).toBe(0);
  const from = new Date(START.getTime() - 10 * MINUTE).toISOString();
  const to = new Date(START.getTime() + 70 * MINUTE).toISOString();
  const detected = await runCli(['detect', '--from', from, '--to', to], cliEnv);
  expect(detected.code, detected.stderr).toBe(0);
});
afterAll(async () => {
  await browser?.close();
});

const count = async (text: Promise<string | null>) => Number((await text)?.replace(/[^\d]/g, ''));

/** The numbers every overview panel shows: the tiles, the rule's Rule health cell and its "Open alerts by rule" row. */
async function readOverview() {
  await page.goto(`${baseUrl}/?from=${RANGE.from}&to=${RANGE.to}`);
  const tile = (label: string) =>
    count(
      page
        .getByRole('region', { name: 'Totals' })
        .locator('.figure', { hasText: label })
        .locator('.figure-value')
        .textContent(),
    );
  const health = page.getByRole('table', { name: 'Rule health' }).locator(`[data-rule-alert-counts="${RULE}"]`);
  const byRule = page.getByRole('table', { name: 'Open alerts by rule' }).locator('tbody tr', { hasText: RULE_NAME });
  return {
    tiles: { open: await tile('Open alerts'), acknowledged: await tile('Acknowledged alerts') },
    health: {
      open: await count(health.locator('[data-count="open"]').textContent()),
      acknowledged: await count(health.locator('[data-count="acknowledged"]').textContent()),
      all: await count(health.locator('[data-count="all"]').textContent()),
    },
    byRule:
      (await byRule.count()) === 0
        ? null
        : {
            open: await count(byRule.locator('td').nth(1).textContent()),
            acknowledged: await count(byRule.locator('td').nth(2).textContent()),
          },
  };
}

/** The queue's tab counts under a query. */
async function readQueueTabs(query: string) {
  await page.goto(`${baseUrl}/alerts?${query}`);
  const tab = (label: string) =>
    count(
      page
        .getByRole('navigation', { name: 'Alert status' })
        .getByRole('link', { name: new RegExp(`^${label} `) })
        .locator('.tab-count')
        .textContent(),
    );
  return {
    open: await tab('Open'),
    acknowledged: await tab('Acknowledged'),
    closed: await tab('Closed'),
    all: await tab('All'),
  };
}

/** Reads every panel and the queue until two reads in a row agree: the demo's background detection may still be writing. */
async function expectAgreement(expectedInRange: { open: number; acknowledged: number } | null) {
  let last: unknown;
  for (let attempt = 0; attempt < 20; attempt++) {
    const overview = await readOverview();
    const everything = await readQueueTabs('status=open');
    const rule = await readQueueTabs(`status=open&rule=${RULE}`);
    const inRange = await readQueueTabs(`status=open&rule=${RULE}&from=${RANGE.from}&to=${RANGE.to}`);
    const agrees =
      overview.tiles.open === everything.open &&
      overview.tiles.acknowledged === everything.acknowledged &&
      overview.health.open === rule.open &&
      overview.health.acknowledged === rule.acknowledged &&
      overview.health.all === rule.all;
    last = { overview, everything, rule, inRange };
    if (agrees) {
      const shown = overview.byRule ?? { open: 0, acknowledged: 0 };
      expect(shown).toEqual({ open: inRange.open, acknowledged: inRange.acknowledged });
      expect(overview.byRule).toEqual(expectedInRange);
      return last;
    }
    await page.waitForTimeout(1000);
  }
  throw new Error(`the panels never agreed: ${JSON.stringify(last)}`);
}

describe('numbers that agree', () => {
  it('the tiles, Rule health and Open alerts by rule say what the queue lists, before and after a bulk acknowledge', async () => {
    await expectAgreement({ open: 3, acknowledged: 0 });
    await page.goto(`${baseUrl}/?from=${RANGE.from}&to=${RANGE.to}`);
    await saveScreenshot(page, 'numbers-overview-before');

    // Tick every row of the filtered queue: the header box is checked, not partial.
    await page.goto(`${baseUrl}/alerts?status=open&q=${suffix}`);
    const rows = page.getByRole('table', { name: 'Alerts', exact: true }).locator('tbody tr');
    await expect(rows.count()).resolves.toBe(3);
    const header = page.getByRole('checkbox', { name: 'Select every alert on this page' });
    await rows.nth(0).getByRole('checkbox').check();
    await expect(header.evaluate((box: HTMLInputElement) => [box.checked, box.indeterminate])).resolves.toEqual([
      false,
      true,
    ]);
    await rows.nth(1).getByRole('checkbox').check();
    await rows.nth(2).getByRole('checkbox').check();
    await expect(header.evaluate((box: HTMLInputElement) => [box.checked, box.indeterminate])).resolves.toEqual([
      true,
      false,
    ]);
    await saveScreenshot(page, 'numbers-queue-all-ticked');
    const bar = page.getByRole('form', { name: 'Change selected alerts' });
    await bar.getByLabel('Status').selectOption('acknowledged');
    await bar.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('status').filter({ hasText: /3/ }).waitFor();

    await expectAgreement({ open: 0, acknowledged: 3 });
    await page.goto(`${baseUrl}/?from=${RANGE.from}&to=${RANGE.to}`);
    await saveScreenshot(page, 'numbers-overview-after-bulk');
  });

  it('an allowlist entry closing an alert: Events skipped and Alerts closed apart, the history linking the entry', async () => {
    await page.goto(`${baseUrl}/alerts?status=all&q=${users[2]}`);
    await page.getByRole('table', { name: 'Alerts', exact: true }).getByRole('link', { name: RULE_NAME }).click();
    await page.waitForURL(/\/alerts\/[0-9a-f-]{36}$/);
    const reason = `numbers test entry ${suffix}`;
    await page.getByRole('button', { name: 'Close as false positive…' }).click();
    const form = page.getByRole('form', { name: 'Close as false positive' });
    await expect(form.getByRole('checkbox', { name: 'User is exactly' }).isChecked()).resolves.toBe(true);
    await form.getByLabel('Reason').fill(reason);
    await form.getByRole('button', { name: 'Preview impact' }).click();
    await form.getByRole('status', { name: 'Impact preview' }).waitFor();
    await form.getByRole('button', { name: 'Save entry and close' }).click();
    await page.getByText(/Allowlist entry saved; 1 alert\(s\) closed/).waitFor();

    await page.reload();
    const history = page.getByRole('region', { name: 'History' });
    const link = history.getByRole('link', { name: `“${reason}”` });
    const href = (await link.getAttribute('href'))!;
    expect(href).toMatch(/^\/allowlist#entry-[0-9a-f-]{36}$/);
    const entryId = href.split('#entry-')[1]!;
    await expect(history.textContent()).resolves.not.toContain(entryId);
    await saveScreenshot(page, 'numbers-history-allowlist-link');
    await link.click();
    await page.waitForURL(/\/allowlist#entry-/);
    const table = page.getByRole('table', { name: 'Allowlist entries' });
    await expect(table.locator('thead').textContent()).resolves.toMatch(/Events skipped.*Alerts closed/);
    await expect(table.locator('abbr', { hasText: 'Events skipped' }).getAttribute('title')).resolves.toMatch(
      /audit events detection skipped/,
    );
    const row = page.locator(`#entry-${entryId}`);
    const cells = row.locator('td');
    const headers = await table.locator('thead th').allTextContents();
    await expect(cells.nth(headers.indexOf('Events skipped')).textContent()).resolves.toMatch(/^0none skipped yet$/);
    await expect(cells.nth(headers.indexOf('Alerts closed')).textContent()).resolves.toBe('1');
    await expect(page.getByText(/counts the audit events detection left out/).count()).resolves.toBe(1);
    await saveScreenshot(page, 'numbers-allowlist');

    await expectAgreement({ open: 0, acknowledged: 2 });
  });
});

describe('errors in the analyst’s words', () => {
  const huge = 'x'.repeat(20_000);

  it('a 20,000-character search is refused in the form before any request, and by the server if sent anyway', async () => {
    await page.goto(`${baseUrl}/alerts`);
    const form = page.getByRole('form', { name: 'Alert filters' });
    await form.getByLabel('Search').fill(huge);
    const before = page.url();
    await form.getByRole('button', { name: 'Apply' }).click();
    await expect(form.getByRole('alert').textContent()).resolves.toBe(
      'Search is longer than 1,024 characters: shorten it (it has 20,000).',
    );
    expect(page.url()).toBe(before);
    await expect(form.getByLabel('Search').inputValue()).resolves.toHaveLength(20_000);
    await saveScreenshot(page, 'numbers-queue-search-too-long');

    const sent = await page.goto(`${baseUrl}/alerts?q=${huge}`);
    expect(sent!.status()).toBe(200);
    await expect(page.getByRole('form', { name: 'Alert filters' }).getByRole('alert').textContent()).resolves.toBe(
      'Search is longer than 1,024 characters: shorten it.',
    );
    await expect(page.getByRole('form', { name: 'Alert filters' }).getByLabel('Search').inputValue()).resolves.toBe(
      huge,
    );

    const explorer = await page.goto(`${baseUrl}/events?user=${huge}`);
    expect(explorer!.status()).toBe(200);
    await expect(page.getByRole('form', { name: 'Event filters' }).getByRole('alert').textContent()).resolves.toBe(
      'User is longer than 1,024 characters: shorten it.',
    );

    // Past what any form sends: a page that says so, not Chrome's bare "HTTP ERROR 431".
    const enormous = await page.goto(`${baseUrl}/alerts?q=${'z'.repeat(70_000)}`);
    expect(enormous!.status()).toBe(431);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('This address is too long');
    await saveScreenshot(page, 'numbers-address-too-long');
  });

  it('reversed and garbage ranges: one message in the form, the form kept with what was typed', async () => {
    await page.goto(`${baseUrl}/alerts?status=all&from=2049-06-02T00:00&to=2049-06-01T00:00&user=${users[0]}`);
    const form = page.getByRole('form', { name: 'Alert filters' });
    await expect(form.getByRole('alert').textContent()).resolves.toBe(
      'From (UTC) must be before the end of the range (to).',
    );
    await expect(form.getByLabel('From (UTC)').inputValue()).resolves.toBe('2049-06-02 00:00:00');
    await expect(form.getByLabel('User', { exact: true }).inputValue()).resolves.toBe(users[0]);
    await saveScreenshot(page, 'numbers-queue-reversed-range');

    await page.goto(`${baseUrl}/events`);
    const events = page.getByRole('form', { name: 'Event filters' });
    await events.getByLabel('From (UTC)').fill('2049-06-02T00:00:00');
    await events.getByLabel('To (UTC)').fill('2049-06-01T00:00:00');
    const before = page.url();
    await events.getByRole('button', { name: 'Search' }).click();
    await expect(events.getByRole('alert').textContent()).resolves.toBe(
      'From (UTC) must be before the end of the range (to).',
    );
    expect(page.url()).toBe(before);

    await page.goto(`${baseUrl}/?from=garbage`);
    const range = page.getByRole('form', { name: 'Time range' });
    await expect(range.getByRole('alert').textContent()).resolves.toBe(
      'This time range cannot be used: From (UTC) is not a date and time (UTC, like 2026-12-01 23:40:49).',
    );
    await expect(range.getByLabel('To (UTC)').count()).resolves.toBe(1);
    await saveScreenshot(page, 'numbers-overview-garbage-range');
  });

  it('the Rules preview keeps its range on a refusal and shows the group key as fields', async () => {
    await page.goto(`${baseUrl}/rules`);
    const preview = page.getByRole('form', { name: `Preview of ${RULE}` });
    await preview.getByLabel('From (UTC)').fill('2049-06-01T12:00');
    await preview.getByLabel('To (UTC)').fill('2049-06-01T07:00');
    await preview.getByRole('button', { name: 'Preview' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'must be before the end of the range' });
    await expect(refusal.textContent()).resolves.toBe('From (UTC) must be before the end of the range (to).');
    await expect(preview.getByLabel('From (UTC)').inputValue()).resolves.toBe('2049-06-01T12:00');
    await expect(preview.getByLabel('To (UTC)').inputValue()).resolves.toBe('2049-06-01T07:00');

    await preview.getByLabel('From (UTC)').fill(RANGE.from);
    await preview.getByLabel('To (UTC)').fill(RANGE.to);
    await preview.getByRole('button', { name: 'Preview' }).click();
    const result = page.locator('.preview-result');
    await result.waitFor();
    // Three bursts, but the third user is allowlisted now (the test above): two alerts.
    await expect(result.locator('li').count()).resolves.toBe(2);
    const first = await result.locator('li').first().textContent();
    expect(first).toMatch(/user\s*numbers-\d-/);
    expect(first).toMatch(/source IP\s*10\.71\.0\.\d/);
    expect(first).not.toContain('{');
    await expect(preview.getByLabel('From (UTC)').inputValue()).resolves.toBe(RANGE.from);
    await result.scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'numbers-rule-preview');
  });
});

describe('investigation details', () => {
  it('an event lists the alerts it is evidence of, each a link', async () => {
    await page.goto(`${baseUrl}/events?user=${users[0]}&from=${RANGE.from}:00&to=${RANGE.to}:00`);
    const overTime = page.getByRole('region', { name: 'Selection over time' });
    await expect(overTime.textContent()).resolves.toContain('5 audit events from 2049-06-01 07:00:00 UTC');
    // Recharts draws its bars once the page has hydrated.
    await overTime.locator('.recharts-bar-rectangle').first().waitFor();
    await page.getByRole('link', { name: /2049/ }).first().click();
    await page.waitForURL(/[?&]event=/);
    const evidence = page.getByRole('region', { name: 'Alerts this event is evidence of' });
    await evidence.getByRole('link', { name: RULE_NAME }).click();
    await page.waitForURL(/\/alerts\/[0-9a-f-]{36}$/);
    await expect(page.getByRole('region', { name: 'Entities' }).textContent()).resolves.toContain(users[0]);
    await page.goBack();
    await evidence.waitFor();
    await saveScreenshot(page, 'numbers-event-evidence-of');
  });

  it('an upload’s batch says what detection then found, with links', async () => {
    await page.goto(`${baseUrl}/uploads`);
    const batch = page.getByRole('region', { name: 'Past batches' }).locator('li', { hasText: 'cluster numbers-test' });
    const found = batch.locator('.batch-detections');
    await expect(found.textContent()).resolves.toMatch(/^Detection found 3 new alerts, 0 updated: /);
    await expect(found.getByRole('link', { name: RULE_NAME }).count()).resolves.toBe(3);
    await found.scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'numbers-upload-detections');
  });

  it('the Jobs page keeps finished detection runs, each linked to the uploads in its range', async () => {
    await page.goto(`${baseUrl}/jobs`);
    const finished = page.getByRole('table', { name: 'Finished detection runs' });
    // The runs over this file's events (the command line's and the worker's) link its upload.
    const upload = finished.getByRole('link', { name: `numbers-${suffix}.ndjson` }).first();
    await saveScreenshot(page, 'numbers-jobs-finished');
    const href = (await upload.getAttribute('href'))!;
    expect(href).toMatch(/^\/uploads#batch-[0-9a-f-]{36}$/);
    await saveScreenshot(page, 'numbers-jobs-finished');
    await upload.click();
    await page.waitForURL(/\/uploads#batch-/);
    await expect(page.locator(href.slice('/uploads'.length)).textContent()).resolves.toContain('cluster numbers-test');
  });
});
