import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { readEmbeddedCredentials } from '../../lib/db/database-url';
import { findFreePort } from '../../lib/net/find-free-port';
import { startApp } from '../support/app-process';
import { launchChromium } from '../support/chromium';
import { saveScreenshot } from '../support/screenshots';
import { runCli } from '../support/run-cli';

function newDataDir() {
  const base = mkdtempSync(path.join(os.tmpdir(), 'vigil-launcher-'));
  chmodSync(base, 0o755); // as root, PostgreSQL runs as "postgres", which must reach the folder
  return path.join(base, 'data');
}

async function canConnect(url: string) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

describe('npm start without DATABASE_URL', () => {
  it('brings the app up on the embedded database, refuses a second start, and shuts everything down on Ctrl-C', async () => {
    const dataDir = newDataDir();
    const pgPort = await findFreePort();
    const env = { DATABASE_URL: undefined, VIGIL_DATA_DIR: dataDir, VIGIL_EMBEDDED_PG_PORT: String(pgPort) };
    const app = await startApp(env);

    expect(app.output()).toContain(`Vigil is running at http://localhost:`);
    const health = (await (await fetch(`${app.baseUrl}/api/health`)).json()) as { ok: boolean };
    expect(health.ok).toBe(true);
    const credentials = readEmbeddedCredentials(dataDir);
    expect(credentials).toBeDefined();
    const databaseUrl = `postgresql://${credentials?.user}:${encodeURIComponent(credentials?.password ?? '')}@127.0.0.1:${pgPort}/vigil`;
    expect(await canConnect(databaseUrl)).toBe(true);

    const doctor = await runCli(['doctor', '--json'], env);
    expect(doctor.code).toBe(0);

    // First run: the printed one-time link creates the admin in the browser, who lands on the console signed in.
    const setupLink = /create the first admin at http:\/\/localhost:\d+(\/setup\?token=[\w-]+)/.exec(app.output());
    expect(setupLink, app.output()).not.toBeNull();
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1366, height: 850 } });
      await page.goto(`${app.baseUrl}/setup?token=wrong`);
      await expect(page.locator('.auth-notice[role=alert]').textContent()).resolves.toContain(
        'missing, used up or out of date',
      );
      await page.goto(`${app.baseUrl}${setupLink![1]}`);
      await page.fill('input[name=name]', 'First Admin');
      await page.fill('input[name=email]', 'first-admin@vigil.test');
      await page.fill('input[name=password]', 'first admin password');
      await page.fill('input[name=confirm]', 'first admin password');
      await saveScreenshot(page, 'first-run-setup');
      await page.click('button[type=submit]');
      await page.waitForURL(`${app.baseUrl}/`);
      await expect(page.locator('h1').textContent()).resolves.toBe('Overview');
      await expect(page.getByLabel('Signed in').textContent()).resolves.toContain('first-admin@vigil.test');
      await page.goto(`${app.baseUrl}${setupLink![1]}`);
      await page.waitForURL(`${app.baseUrl}/`); // the link is spent once an account exists: back to the console
    } finally {
      await browser.close();
    }
    const users = await runCli(['user', 'list', '--json'], env);
    expect(JSON.parse(users.stdout).users).toMatchObject([{ email: 'first-admin@vigil.test', role: 'admin' }]);

    const second = await runCli(['start'], { ...env, PORT: String(await findFreePort()) });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('Vigil is already running with this data folder');
    expect(await canConnect(databaseUrl)).toBe(true); // the second start left the first one's database alone

    expect(await app.stop()).toBe(0);
    expect(app.output()).toContain('embedded database stopped');
    expect(await canConnect(databaseUrl)).toBe(false);
    await expect(fetch(`${app.baseUrl}/api/health`)).rejects.toThrow();
  }, 120_000); // the embedded database starts, migrates and seeds before the app answers: slow on a loaded 2-core machine
});
