import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildIfNeeded } from '../../scripts/build-if-needed';
import { startApp } from './app-process';
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
  const app = await startApp({ DATABASE_URL: database.url });
  project.provide('baseUrl', app.baseUrl);
  project.provide('databaseUrl', database.url);
  project.provide('serverUrl', server.url);
  return async () => {
    await app.stop();
    await database.drop();
    await server.stop();
  };
}
