import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApiToken } from '../../lib/auth/api-tokens';
import { createDb } from '../../lib/db/client';
import { runCli } from '../support/run-cli';
import { openSignedInPage, postSignIn, TEST_PASSWORD, uniqueClientIp, uniqueEmail } from '../support/accounts';
import { nativeEvent, ndjson } from '../support/audit-events';
import { launchChromium } from '../support/chromium';
import { saveScreenshot } from '../support/screenshots';

const baseUrl = inject('baseUrl');
const sessions = inject('sessionCookies');
const emails = inject('accountEmails');
let browser: Browser;
const db = createDb(inject('databaseUrl'), 1);
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
  await db.$disconnect();
});

describe('signing in and out', () => {
  it('keeps the email after a wrong password, then signs in and returns to the page asked for', async () => {
    // A client address of its own, so the per-address sign-in limit is this test's alone.
    const context = await browser.newContext({ extraHTTPHeaders: { 'x-forwarded-for': uniqueClientIp() } });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/rules`);
    await page.waitForURL(`${baseUrl}/sign-in?next=%2Frules`);
    await page.fill('input[name=email]', emails.analyst);
    await page.fill('input[name=password]', 'not the password');
    await page.click('button[type=submit]');
    const problem = page.locator('form[aria-label="Sign in"] [role=alert]');
    await problem.waitFor();
    await expect(problem.textContent()).resolves.toBe('Wrong email or password.');
    await expect(page.inputValue('input[name=email]')).resolves.toBe(emails.analyst);
    await saveScreenshot(page, 'sign-in-wrong-password');

    await page.fill('input[name=password]', TEST_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(`${baseUrl}/rules`);
    const signedIn = page.getByLabel('Signed in');
    await expect(signedIn.textContent()).resolves.toContain(emails.analyst);
    await expect(signedIn.locator('.badge').textContent()).resolves.toBe('analyst');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${baseUrl}/sign-in`);
    await page.goto(`${baseUrl}/uploads`);
    await page.waitForURL(`${baseUrl}/sign-in?next=%2Fuploads`);
    await context.close();
  });
});

describe('what each role sees', () => {
  it('shows a viewer the data but none of the controls it may not use', async () => {
    const page = await openSignedInPage(browser, baseUrl, sessions.viewer);
    await page.goto(`${baseUrl}/rules`);
    await expect(page.locator('form[aria-label^="Settings of"]').count()).resolves.toBe(0);
    await expect(page.locator('form[aria-label^="Preview of"]').count()).resolves.toBe(0);
    await expect(page.getByText('only admins tune rules').count()).resolves.toBeGreaterThan(0);
    await expect(page.getByText('Administration').count()).resolves.toBe(0);
    await page.goto(`${baseUrl}/uploads`);
    await expect(page.getByLabel('Audit log files').count()).resolves.toBe(0);
    await expect(page.getByText('can read batches but not upload').count()).resolves.toBe(1);
    const forbidden = await page.goto(`${baseUrl}/settings/users`);
    expect(forbidden?.status()).toBe(403);
    await expect(page.locator('h1').textContent()).resolves.toBe('Not allowed');
    await saveScreenshot(page, 'viewer-forbidden');
    await page.context().close();
  });

  it('lets an analyst preview rules but not tune them', async () => {
    const page = await openSignedInPage(browser, baseUrl, sessions.analyst);
    await page.goto(`${baseUrl}/rules`);
    await expect(page.locator('form[aria-label^="Settings of"]').count()).resolves.toBe(0);
    await expect(page.locator('form[aria-label^="Preview of"]').count()).resolves.toBeGreaterThan(0);
    await page.context().close();
  });
});

describe('administration', () => {
  it('creates an account whose hostile name renders as text, and who can then sign in', async () => {
    const page = watchDialogs(await openSignedInPage(browser, baseUrl, sessions.admin));
    await page.goto(`${baseUrl}/settings/users`);
    const email = uniqueEmail('made-in-ui');
    const hostileName = '<img src=x onerror="alert(3)">Mallory';
    const form = page.getByRole('form', { name: 'New account' });
    await form.locator('input[name=email]').fill(email);
    await form.locator('input[name=name]').fill(hostileName);
    await form.locator('select[name=role]').selectOption('viewer');
    await form.locator('input[name=password]').fill('made in the browser 1');
    await form.getByRole('button', { name: 'Create' }).click();
    await expect(form.getByRole('status').textContent()).resolves.toContain(`Created ${email} (viewer)`);
    const row = page.locator('tr', { hasText: email });
    await expect(row.locator('td').nth(1).textContent()).resolves.toBe(hostileName);
    await expect(page.locator('img[src="x"]').count()).resolves.toBe(0);
    expect(dialogs).toEqual([]);
    await saveScreenshot(page, 'users');

    const signIn = await postSignIn(baseUrl, email, 'made in the browser 1');
    expect(signIn.status).toBe(200);

    await row.getByRole('button', { name: 'Disable' }).click();
    await row.locator('.status-failed').waitFor();
    const refused = await postSignIn(baseUrl, email, 'made in the browser 1');
    expect(refused.status).toBe(403);
    await page.context().close();
  });

  it('creates an ingest token shown once, which the webhook accepts until it is revoked', async () => {
    const page = await openSignedInPage(browser, baseUrl, sessions.admin);
    await page.goto(`${baseUrl}/settings/tokens`);
    const name = `webhook ${Math.random().toString(36).slice(2, 8)}`;
    const form = page.getByRole('form', { name: 'New token' });
    await form.locator('input[name=name]').fill(name);
    await form.getByRole('button', { name: 'Create token' }).click();
    const token = (await page.locator('.token-value').textContent()) ?? '';
    expect(token).toMatch(/^vigil_/);
    await saveScreenshot(page, 'api-token-created');

    const send = () =>
      fetch(`${baseUrl}/api/v1/audit-webhook/ui-token`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'EventList', items: [nativeEvent()] }),
      });
    expect((await send()).status).toBe(200);

    await page.reload();
    await expect(page.locator('.token-value').count()).resolves.toBe(0); // shown once only
    const row = page.locator('tr', { hasText: name });
    await expect(row.locator('code').textContent()).resolves.toBe(`${token.slice(0, 12)}…`);
    await expect(row.locator('td').nth(4).textContent()).resolves.not.toBe('never'); // last used
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.locator('.status', { hasText: 'revoked' }).waitFor();
    expect((await send()).status).toBe(401);
    await page.context().close();
  });
});

describe('remote CLI use', () => {
  it('sends a file with `vigil ingest --server` and an ingest token, and refuses without one', async () => {
    const { token } = await createApiToken(db, { name: 'remote cli', scopes: ['ingest'] }, null);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-remote-'));
    const file = path.join(dir, 'remote.ndjson');
    writeFileSync(file, ndjson([nativeEvent(), nativeEvent()]));
    const sent = await runCli(['ingest', file, '--server', baseUrl, '--cluster', 'remote-cli', '--json'], {
      VIGIL_TOKEN: token,
    });
    expect(sent.code, sent.stderr).toBe(0);
    expect(JSON.parse(sent.stdout).batches).toMatchObject([
      { file, stored: 2, cluster: 'remote-cli', source: 'upload' },
    ]);
    const refused = await runCli(['ingest', file, '--server', baseUrl, '--token', 'vigil_wrong']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/answered 401: the API token is unknown, revoked or expired/);
  });
});

describe('hostile log content', () => {
  it('renders file names and record values holding HTML or script as inert text', async () => {
    const page = watchDialogs(await openSignedInPage(browser, baseUrl, sessions.analyst));
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-hostile-'));
    const fileName = '<svg onload=alert(4)>audit.ndjson';
    const file = path.join(dir, fileName);
    writeFileSync(
      file,
      ndjson([
        nativeEvent({
          userAgent: '<script>alert(5)</script>',
          objectRef: { resource: 'secrets', name: 'javascript:alert(6)' },
        }),
        '{"kind":"Event","verb":"<b>bold</b><script>alert(7)</script>"',
      ]),
    );
    await page.goto(`${baseUrl}/uploads`);
    await page.getByLabel('Audit log files').setInputFiles([file]);
    const row = page.getByRole('region', { name: "This session's uploads" }).locator('li', { hasText: 'audit.ndjson' });
    await row.locator('.status-done').waitFor({ timeout: 30_000 });
    await expect(row.textContent()).resolves.toContain(fileName);
    await page.reload();
    const past = page.getByRole('region', { name: 'Past batches' }).locator('li', { hasText: 'audit.ndjson' }).first();
    await expect(past.textContent()).resolves.toContain(fileName);
    await expect(page.locator('svg[onload]').count()).resolves.toBe(0);
    await expect(page.locator('b', { hasText: 'bold' }).count()).resolves.toBe(0);
    await expect(page.locator('a[href^="javascript:"]').count()).resolves.toBe(0);
    expect(dialogs).toEqual([]);
    await saveScreenshot(page, 'hostile-upload');
    await page.context().close();
  });
});
