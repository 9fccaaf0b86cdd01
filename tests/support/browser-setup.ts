import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildIfNeeded } from '../../scripts/build-if-needed';
import { roles } from '../../lib/auth/roles';
import { signInOverHttp, TEST_PASSWORD, uniqueEmail, type SessionCookies } from './accounts';
import { startApp } from './app-process';
import { runCli } from './run-cli';
import { findChromium } from './chromium';
import { createScratchDatabase, dropStaleScratchDatabases, startTestServer } from './database';
import './provided';

/** Browser tier: the built app, started by the real launcher on a free port against its own database. */
export default async function setup(project: TestProject) {
  findChromium(); // fail first, with the install hint, before anything slow
  buildIfNeeded(path.join(import.meta.dirname, '../..'), (message) => console.log(`[browser tier] ${message}`));
  const server = await startTestServer();
  await dropStaleScratchDatabases(server.url);
  const database = await createScratchDatabase(server.url, 'browser');
  const authSecret = randomBytes(32).toString('base64url');
  const app = await startApp({ DATABASE_URL: database.url, VIGIL_AUTH_SECRET: authSecret });
  project.provide('baseUrl', app.baseUrl);
  project.provide('appPid', app.pid);
  // Through the CLI: this process is shared with the other tiers' setups, so its env stays untouched.
  const emails = { viewer: uniqueEmail('viewer'), analyst: uniqueEmail('analyst'), admin: uniqueEmail('admin') };
  const cliEnv = { DATABASE_URL: database.url, VIGIL_AUTH_SECRET: authSecret };
  const created = await Promise.all(
    roles.map((role) =>
      runCli(['user', 'create', '--email', emails[role], '--role', role, '--password', TEST_PASSWORD], cliEnv),
    ),
  );
  for (const result of created) if (result.code !== 0) throw new Error(`vigil user create failed: ${result.stderr}`);
  const sessions: Partial<SessionCookies> = {};
  for (const role of roles) sessions[role] = await signInOverHttp(app.baseUrl, emails[role]);
  project.provide('sessionCookies', sessions as SessionCookies);
  project.provide('accountEmails', emails);
  project.provide('databaseUrl', database.url);
  project.provide('serverUrl', server.url);
  return async () => {
    await app.stop();
    await database.drop();
    await server.stop();
  };
}
