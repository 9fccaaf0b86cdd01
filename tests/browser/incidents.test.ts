// An incident in the browser: from the queue to the incident, through its story (alerts and why each
// joined, secrets, the timeline) to the user's page and back, then closed with its members.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { regroupIncidents } from '../../lib/incidents/regroup-incidents';
import { openSignedInPage } from '../support/accounts';
import { nativeEvent, ndjson } from '../support/audit-events';
import { launchChromium } from '../support/chromium';
import { runCli } from '../support/run-cli';
import { saveScreenshot } from '../support/screenshots';

const baseUrl = inject('baseUrl');
const sessions = inject('sessionCookies');
const cliEnv = { DATABASE_URL: inject('databaseUrl') };
const SECRETS = ['db-password', 'stripe-key', 'tls-cert', 'oauth-client', 'registry-pull'];
const MINUTE = 60_000;

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

function burst(user: string, ip: string, start: Date) {
  return SECRETS.map((name, index) => {
    const time = new Date(start.getTime() + index * 10_000).toISOString();
    return nativeEvent({
      user: { username: user, groups: ['system:authenticated'] },
      sourceIPs: [ip],
      requestURI: `/api/v1/namespaces/vault/secrets/${name}`,
      objectRef: { resource: 'secrets', namespace: 'vault', name, apiVersion: 'v1' },
      requestReceivedTimestamp: time,
      stageTimestamp: time,
    });
  });
}

describe('incidents in the browser', () => {
  it('opens an incident from the queue, reads its story, pivots and comes back, and closes it with its alerts', async () => {
    const user = `intruder-${randomUUID().slice(0, 8)}@corp.test`;
    const start = new Date('2026-11-22T08:00:00Z');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-incidents-'));
    const file = path.join(dir, 'audit.ndjson');
    writeFileSync(
      file,
      ndjson([
        ...burst(user, '203.0.113.61', start),
        ...burst(user, '203.0.113.61', new Date(start.getTime() + 30 * MINUTE)),
      ]),
    );
    const ingested = await runCli(['ingest', file, '--cluster', 'incident-test'], cliEnv);
    expect(ingested.code, ingested.stderr).toBe(0);
    const detected = await runCli(
      [
        'detect',
        '--from',
        new Date(start.getTime() - 10 * MINUTE).toISOString(),
        '--to',
        new Date(start.getTime() + 60 * MINUTE).toISOString(),
      ],
      cliEnv,
    );
    expect(detected.code, detected.stderr).toBe(0);
    const raised = await pool.query(`SELECT id FROM alerts WHERE username = $1 AND withdrawn_at IS NULL`, [user]);
    expect(raised.rows).toHaveLength(2);
    await regroupIncidents(pool, { gapHours: 24 });
    const grouped = await pool.query(
      `SELECT DISTINCT i.id, i.title, i.alert_count, i.merged_into FROM incident_alerts ia
         JOIN incidents i ON i.id = ia.incident_id WHERE ia.alert_id = ANY($1::uuid[])`,
      [raised.rows.map((row) => row.id)],
    );
    expect(grouped.rows).toMatchObject([{ title: user, alert_count: 2, merged_into: null }]);

    const page = await openSignedInPage(browser, baseUrl, sessions.analyst);
    await page.goto(`${baseUrl}/incidents?q=${encodeURIComponent(user)}`);
    const rows = page.getByRole('table', { name: 'Incidents', exact: true }).locator('tbody tr');
    await saveScreenshot(page, 'incident-queue');
    await expect(rows.count()).resolves.toBe(1);

    await rows.first().getByRole('link', { name: user }).click();
    await page.waitForURL(/\/incidents\/[0-9a-f-]{36}$/);
    const incidentUrl = page.url();
    const alerts = page.getByRole('region', { name: 'Alerts' });
    await expect(alerts.locator('tbody tr').count()).resolves.toBe(2);
    await expect(alerts.textContent()).resolves.toContain(`joined because same user ${user} from 203.0.113.61`);
    const secrets = page.getByRole('region', { name: 'Secrets' });
    await expect(secrets.locator('tbody tr').count()).resolves.toBe(SECRETS.length);
    await expect(page.getByRole('table', { name: 'Timeline' }).locator('tbody tr').count()).resolves.toBe(10);
    await saveScreenshot(page, 'incident-story');

    // A secret opens the explorer on its requests in the incident's span: both reads, by this user.
    await secrets.getByRole('link', { name: `vault/${SECRETS[0]}` }).click();
    await page.waitForURL(/\/events\?.*name=db-password/);
    const reads = page.getByRole('table', { name: 'Audit events', exact: true }).locator('tbody tr');
    await expect(reads.count()).resolves.toBe(2);
    for (const text of await reads.allTextContents()) expect(text).toContain(user);
    await page.goBack();
    await page.waitForURL(incidentUrl);

    await page.getByRole('region', { name: 'Entities' }).getByRole('link', { name: user }).click();
    await page.waitForURL(/\/entities\/users\//);
    await page.goBack();
    await page.waitForURL(incidentUrl);

    const triage = page.getByRole('region', { name: 'Triage' });
    // Status, then (once closing) Reason, then Assignee.
    await triage.locator('select').nth(0).selectOption('closed');
    await triage.locator('select').nth(1).selectOption('true_positive');
    await expect(triage.getByRole('checkbox').isChecked()).resolves.toBe(true);
    await triage.getByRole('button', { name: 'Set status' }).click();
    await triage.getByText('Saved; closed 2 open alert(s).').waitFor();
    await page.getByRole('region', { name: 'History' }).getByText('members-closed', { exact: false }).waitFor();
    await saveScreenshot(page, 'incident-closed');
    const closed = await pool.query(`SELECT status, close_reason FROM alerts WHERE username = $1`, [user]);
    expect(closed.rows).toEqual([
      { status: 'closed', close_reason: 'true_positive' },
      { status: 'closed', close_reason: 'true_positive' },
    ]);
  });
});
