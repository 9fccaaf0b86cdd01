// Notifications in Chromium against the built app and its worker: an admin adds a webhook destination (a
// receiver on loopback), sends a test and sees the answer, routes high alerts of one cluster to it; an ingest
// raises one, the receiver gets it signed, and the delivery log shows it delivered.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ingestStream } from '../../lib/ingest/ingest-stream';
import { verifyWebhookSignature } from '../../lib/notifications/sign-webhook';
import { openSignedInPage } from '../support/accounts';
import { secretGets } from '../support/alert-factory';
import { bytesOf, ndjson } from '../support/audit-events';
import { launchChromium } from '../support/chromium';
import { startHttpReceiver, type HttpReceiver } from '../support/notification-receivers';
import { saveScreenshot } from '../support/screenshots';
import { waitFor } from '../support/wait-for';

const baseUrl = inject('baseUrl');
const pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 2 });
const CLUSTER = `notify-${randomUUID().slice(0, 8)}`;
const SECRET = 'browser-webhook-secret-1';
let browser: Browser;
let page: Page;
let receiver: HttpReceiver;

beforeAll(async () => {
  receiver = await startHttpReceiver();
  browser = await launchChromium();
  page = await openSignedInPage(browser, baseUrl, inject('sessionCookies').admin);
});
afterAll(async () => {
  await pool.query(`DELETE FROM notification_destinations WHERE name = $1`, [`SOAR ${CLUSTER}`]);
  await pool.end();
  await browser?.close();
  await receiver?.close();
});

describe('Settings → Notifications and the delivery log', () => {
  it('creates a destination, sends a test, routes high alerts and shows an ingested alert delivered', async () => {
    await page.goto(`${baseUrl}/settings/notifications`);
    const form = page.getByRole('form', { name: 'New destination' });
    await form.getByLabel('Name', { exact: true }).fill(`SOAR ${CLUSTER}`);
    await form.getByLabel('URL', { exact: true }).fill(`${receiver.url}/browser/${CLUSTER}`);
    await form.getByLabel('Signing secret (≥ 16 characters)').fill(SECRET);
    await form.getByRole('button', { name: 'Add destination' }).click();

    const destination = page.getByRole('listitem', { name: `Destination SOAR ${CLUSTER}` });
    await destination.waitFor();
    const shown = await destination.textContent();
    expect(shown).toContain(`url: ${receiver.url}/••••••••`);
    expect(shown).not.toContain(SECRET);
    expect(shown).not.toContain(`/browser/${CLUSTER}`);

    await destination.getByRole('button', { name: 'Send test' }).click();
    const answer = destination.getByRole('status');
    await expect(answer.textContent()).resolves.toMatch(/Delivered: HTTP 200 in \d+ ms/);
    await expect(answer.textContent()).resolves.toContain('"ok":true');
    await saveScreenshot(page, 'notifications-settings-test-sent');

    const routeForm = page.getByRole('form', { name: 'New route' });
    await routeForm.getByLabel('Destination').selectOption({ label: `SOAR ${CLUSTER}` });
    await routeForm.getByLabel('Severity at least').selectOption('high');
    await routeForm.getByLabel('Clusters (empty: all)').fill(CLUSTER);
    await routeForm.getByRole('button', { name: 'Add route' }).click();
    await page.getByText(`high+ to SOAR ${CLUSTER}`).waitFor();

    const user = `mallory-${randomUUID().slice(0, 8)}@example.test`;
    const events = secretGets({
      user,
      start: new Date(Date.now() - 3_600_000),
      names: ['db-password', 'stripe-key', 'tls-cert', 'registry-creds', 'ssh-key'],
      cluster: CLUSTER,
    });
    await ingestStream(bytesOf(ndjson(events)), { source: 'cli', format: 'k8s-audit', cluster: CLUSTER }, { pool });

    const received = await waitFor('the alert at the receiver', 90_000, async () =>
      receiver.requests.find(
        (request) =>
          request.path === `/browser/${CLUSTER}` &&
          request.headers['x-vigil-event'] === 'alert.created' &&
          (JSON.parse(request.body) as { test: boolean }).test === false,
      ),
    );
    expect(
      verifyWebhookSignature(SECRET, received.body, String(received.headers['x-vigil-signature']), Date.now() / 1000),
    ).toBe(true);
    const body = JSON.parse(received.body) as { alert: { id: string; severity: string; entities: { user: string } } };
    expect(body.alert).toMatchObject({ severity: 'high', entities: { user } });

    await page.goto(`${baseUrl}/notifications?alertId=${body.alert.id}`);
    const log = page.getByRole('table', { name: 'Deliveries' });
    await waitFor('the delivered row', 30_000, async () => {
      const text = await log.textContent();
      if (text?.includes('delivered')) return true;
      await page.reload();
      return undefined;
    });
    const row = log.locator('tbody tr').first();
    await expect(row.textContent()).resolves.toMatch(/SOAR .*alert\.created.*delivered/);
    await saveScreenshot(page, 'notifications-delivery-log');

    await page.goto(`${baseUrl}/alerts/${body.alert.id}`);
    const panel = page.getByRole('region', { name: 'Notifications' });
    await expect(panel.textContent()).resolves.toContain('delivered');
  }, 180_000);
});
