// A triage run with the keyboard only: from the queue, j/k to an alert, open it, back with u, tick it
// with x, acknowledge with a, close the next with c and a reason, then f on the last one and the
// false-positive form driven by Tab, typing and Enter; the database says what happened.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
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
const SECRETS = ['kb-db-password', 'kb-stripe-key', 'kb-tls-cert', 'kb-oauth-client', 'kb-registry-pull'];
const MINUTE = 60_000;
// A day no other browser test uses.
const START = new Date('2026-10-14T05:00:00Z');

let browser: Browser;
let pool: pg.Pool;
beforeAll(async () => {
  browser = await launchChromium();
  pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 2 });
});
afterAll(async () => {
  await browser?.close();
  await pool?.end();
});

/** Bursts of secret GETs 20 minutes apart by one user: one alert each, stored and detected through the CLI. */
async function raiseAlerts(user: string, count: number) {
  const events = Array.from({ length: count }, (_, burst) =>
    SECRETS.map((name, index) => {
      const time = new Date(START.getTime() + burst * 20 * MINUTE + index * 10_000).toISOString();
      return nativeEvent({
        user: { username: user, groups: ['system:authenticated'] },
        sourceIPs: ['10.71.0.4'],
        userAgent: 'kubectl/v1.30.2 (linux/amd64) kubernetes/39683505',
        requestURI: `/api/v1/namespaces/shop/secrets/${name}`,
        objectRef: { resource: 'secrets', namespace: 'shop', name, apiVersion: 'v1' },
        requestReceivedTimestamp: time,
        stageTimestamp: time,
      });
    }),
  ).flat();
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'vigil-keys-')), 'audit.ndjson');
  writeFileSync(file, ndjson(events));
  const ingested = await runCli(['ingest', file, '--cluster', 'keyboard-test'], cliEnv);
  expect(ingested.code, ingested.stderr).toBe(0);
  const from = new Date(START.getTime() - 10 * MINUTE).toISOString();
  const to = new Date(START.getTime() + count * 20 * MINUTE + 10 * MINUTE).toISOString();
  const detected = await runCli(['detect', '--from', from, '--to', to], cliEnv);
  expect(detected.code, detected.stderr).toBe(0);
}

const queueRows = (page: Page) => page.getByRole('table', { name: 'Alerts', exact: true }).locator('tbody tr');

/** The alert id of the row that has the keyboard focus (it must be the focused element too). */
function focusedAlertId(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const row = document.activeElement;
    if (!(row instanceof HTMLTableRowElement) || !row.hasAttribute('data-kbd-focus')) return null;
    return row.querySelector('a.alert-link')?.getAttribute('href')?.split('/').pop() ?? null;
  });
}

async function rowIds(page: Page): Promise<string[]> {
  const links = await queueRows(page).locator('a.alert-link').all();
  return Promise.all(links.map(async (link) => (await link.getAttribute('href'))!.split('/').pop()!));
}

/** Tab (and only Tab) until the focused element matches the selector (and has the text, when given). */
async function tabTo(page: Page, selector: string, text?: string) {
  for (let presses = 0; presses < 80; presses++) {
    await page.keyboard.press('Tab');
    const found = await page.evaluate(
      ([wanted, label]) => {
        const element = document.activeElement;
        return element !== null && element.matches(wanted!) && (label === null || element.textContent === label);
      },
      [selector, text ?? null] as const,
    );
    if (found) return;
  }
  throw new Error(`Tab never reached ${selector} ${text ?? ''}`);
}

async function alertState(id: string) {
  const result = await pool.query<{ status: string; close_reason: string | null }>(
    `SELECT status, close_reason FROM alerts WHERE id = $1`,
    [id],
  );
  return result.rows[0];
}

describe('keyboard triage', () => {
  it('moves, opens, returns, selects, acknowledges, closes with a reason and closes as false positive, with keys only', async () => {
    const user = `kbd-${randomUUID().slice(0, 8)}@corp.test`;
    await raiseAlerts(user, 3);
    const page = await openSignedInPage(browser, baseUrl, sessions.analyst);
    await page.goto(`${baseUrl}/alerts?user=${encodeURIComponent(user)}`);
    await expect(queueRows(page).count()).resolves.toBe(3);
    const [first, second, third] = await rowIds(page);
    // The rows are server-rendered; the shortcuts listen only once the page has hydrated, which lags on a
    // loaded machine: wait until the page's own fetches are done, as detections.test.ts does.
    await page.waitForLoadState('networkidle');

    // j and k move a visible focus over the rows.
    await page.keyboard.press('j');
    await expect(focusedAlertId(page)).resolves.toBe(first);
    await page.keyboard.press('j');
    await expect(focusedAlertId(page)).resolves.toBe(second);
    await page.keyboard.press('k');
    await expect(focusedAlertId(page)).resolves.toBe(first);
    // Never with a modifier held.
    await page.keyboard.press('Alt+j');
    await expect(focusedAlertId(page)).resolves.toBe(first);
    await saveScreenshot(page, 'keyboard-queue-focus');

    // ? lists the keys; Esc closes the sheet and the row has the focus again.
    await page.keyboard.press('?');
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts: alert queue' });
    await sheet.waitFor();
    await expect(sheet.getByRole('row').count()).resolves.toBe(10);
    await expect(sheet.textContent()).resolves.toContain('Close the selected alerts, else this one, with a reason');
    await saveScreenshot(page, 'keyboard-shortcut-sheet');
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'hidden' });
    await expect(focusedAlertId(page)).resolves.toBe(first);

    // / goes to the search box; letters typed there are text, not shortcuts; Esc leaves it.
    await page.keyboard.press('/');
    const search = page.getByRole('form', { name: 'Alert filters' }).getByLabel('Search');
    await expect(search.evaluate((input) => input === document.activeElement)).resolves.toBe(true);
    await page.keyboard.type('jk');
    await expect(search.inputValue()).resolves.toBe('jk');
    await expect(page.locator('tr[data-kbd-focus]').count()).resolves.toBe(1);
    await page.keyboard.press('Escape');
    await expect(search.evaluate((input) => input === document.activeElement)).resolves.toBe(false);
    await page.keyboard.press('j');
    await expect(focusedAlertId(page)).resolves.toBe(second);
    await page.keyboard.press('k');

    // Enter opens the focused alert; u comes back to the queue with the same row focused.
    await page.keyboard.press('Enter');
    await page.waitForURL(`${baseUrl}/alerts/${first}`);
    await page.getByRole('region', { name: 'History' }).waitFor();
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts: alert' }).waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.press('u');
    await page.waitForURL(/\/alerts\?/);
    await expect.poll(() => focusedAlertId(page)).toBe(first);

    // x ticks the row, a acknowledges what is ticked; the row leaves the Open tab and the focus keeps its place.
    await page.keyboard.press('x');
    await expect(queueRows(page).first().getByRole('checkbox').isChecked()).resolves.toBe(true);
    await page.getByRole('form', { name: 'Change selected alerts' }).getByText('1 alert(s) selected').waitFor();
    await page.keyboard.press('a');
    await page.getByRole('status').getByText('Updated 1 of 1 alert(s).').waitFor();
    await page.getByRole('link', { name: /^Open 2$/ }).waitFor();
    await expect(alertState(first!)).resolves.toEqual({ status: 'acknowledged', close_reason: null });
    await expect.poll(() => focusedAlertId(page)).toBe(second);

    // c asks for the reason in a dialog: arrows pick it, Tab and Enter close the alert.
    await page.keyboard.press('c');
    const closeDialog = page.getByRole('dialog', { name: 'Close the alert' });
    await closeDialog.waitFor();
    await expect(
      closeDialog.getByRole('radio', { name: 'True positive' }).evaluate((radio) => radio === document.activeElement),
    ).resolves.toBe(true);
    await page.keyboard.press('ArrowDown');
    await expect(closeDialog.getByRole('radio', { name: 'Benign positive' }).isChecked()).resolves.toBe(true);
    await saveScreenshot(page, 'keyboard-close-dialog');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: /^Open 1$/ }).waitFor();
    await expect(alertState(second!)).resolves.toEqual({ status: 'closed', close_reason: 'benign_positive' });
    await expect.poll(() => focusedAlertId(page)).toBe(third);

    // f opens the false-positive form of the focused alert, its first field focused; Tab, type and Enter save it.
    await page.keyboard.press('f');
    await page.waitForURL(new RegExp(`/alerts/${third}`));
    const form = page.getByRole('form', { name: 'Close as false positive' });
    await form.waitFor();
    await expect
      .poll(() =>
        form.getByRole('checkbox', { name: 'User is exactly' }).evaluate((box) => box === document.activeElement),
      )
      .toBe(true);
    await expect(form.getByRole('textbox', { name: 'User is exactly' }).inputValue()).resolves.toBe(user);
    await saveScreenshot(page, 'keyboard-false-positive-form');
    await tabTo(page, 'form[aria-label="Close as false positive"] textarea');
    await page.keyboard.type('Load test account, ticket OPS-77');
    await tabTo(page, 'form[aria-label="Close as false positive"] button', 'Preview impact');
    await page.keyboard.press('Enter');
    await form.getByRole('status', { name: 'Impact preview' }).waitFor();
    await tabTo(page, 'form[aria-label="Close as false positive"] button', 'Save entry and close');
    await page.keyboard.press('Enter');
    await page.locator('[aria-label="Alert summary"]').getByText('Closed · False positive').waitFor();

    await expect(alertState(third!)).resolves.toEqual({ status: 'closed', close_reason: 'false_positive' });
    const entries = await pool.query<{ reason: string; conditions: unknown }>(
      `SELECT reason, conditions FROM allowlist_entries WHERE source_alert_id = $1`,
      [third],
    );
    expect(entries.rows).toHaveLength(1);
    expect(entries.rows[0]!.reason).toBe('Load test account, ticket OPS-77');
    expect(entries.rows[0]!.conditions).toEqual([{ field: 'username', op: 'exact', value: user }]);
    await page.context().close();
  }, 180_000); // a loaded 2-core machine: one ingest, one detection and a dozen page loads
});
