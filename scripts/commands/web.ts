import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { getEnv } from '../../lib/env';
import { withIngestNodeOptions } from '../../lib/node-options';

const require = createRequire(import.meta.url);

/** Spawns `next start` for the built app; resolves with its exit code. */
export function spawnWebServer(env: Record<string, string | undefined>, port: number, host: string) {
  const nextBin = require.resolve('next/dist/bin/next');
  return spawn(process.execPath, [nextBin, 'start', '--port', String(port), '--hostname', host], {
    env: { ...process.env, ...env, NODE_OPTIONS: withIngestNodeOptions(process.env.NODE_OPTIONS) },
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
