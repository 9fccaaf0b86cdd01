import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { applyAllMigrations } from '../../scripts/commands/migrate';
import { createScratchDatabase, dropStaleScratchDatabases, startTestServer } from './database';
import './provided';

export default async function setup(project: TestProject) {
  const server = await startTestServer();
  await dropStaleScratchDatabases(server.url);
  const database = await createScratchDatabase(server.url, 'it');
  await applyAllMigrations(database.url);
  process.env.DATABASE_URL = database.url;
  process.env.VIGIL_AUTH_SECRET = randomBytes(32).toString('base64url');
  project.provide('databaseUrl', database.url);
  project.provide('serverUrl', server.url);
  return async () => {
    await database.drop();
    await server.stop();
  };
}
