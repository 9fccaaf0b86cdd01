import { spawn } from 'node:child_process';
import path from 'node:path';
import { getEnv } from '../../lib/env';
import { withIngestNodeOptions } from '../../lib/node-options';

const WEB_SERVER_BIN = path.join(import.meta.dirname, '../../bin/web-server.mjs');

/** Spawns the web server (Next.js, the client address stamped on each request) for the built app. */
export function spawnWebServer(env: Record<string, string | undefined>, port: number, host: string) {
  return spawn(process.execPath, [WEB_SERVER_BIN, String(port), host], {
    env: {
      ...process.env,
      ...env,
      NODE_ENV: 'production',
      NODE_OPTIONS: withIngestNodeOptions(process.env.NODE_OPTIONS),
    },
    stdio: 'inherit',
  });
}

/** The web server alone, for deployments that run it apart from the worker. */
export async function webCommand() {
  const env = getEnv();
  const child = spawnWebServer({}, env.PORT, env.HOST);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  const code = await new Promise<number>((resolve) => child.on('exit', (exitCode) => resolve(exitCode ?? 0)));
  process.exitCode = code;
}
