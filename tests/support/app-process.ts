// Runs the real launcher (`vigil start`) as a child process, as a user would.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { findFreePort } from '../../lib/net/find-free-port';

const root = path.join(import.meta.dirname, '../..');

export type AppProcess = {
  baseUrl: string;
  pid: number;
  output(): string;
  /** Sends SIGINT (Ctrl-C) and resolves with the exit code. */
  stop(): Promise<number | null>;
};

export async function startApp(env: Record<string, string | undefined>, timeoutMs = 180_000): Promise<AppProcess> {
  const port = await findFreePort();
  const child = spawn(process.execPath, [path.join(root, 'bin/vigil.mjs'), 'start'], {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const baseUrl = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + timeoutMs;
  let healthy = false;
  // Ready means what a user sees: the launcher printed its URL and health answers 200.
  while (!healthy && Date.now() < deadline && child.exitCode === null) {
    try {
      const response = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(3000) });
      healthy = response.status === 200 && output.includes('Vigil is running at');
    } catch {
      // not listening yet
    }
    if (!healthy) await new Promise((resolve) => setTimeout(resolve, 500));
  }
  if (!healthy) {
    child.kill('SIGKILL');
    throw new Error(`vigil start did not become healthy at ${baseUrl}:\n${output}`);
  }
  return {
    baseUrl,
    pid: child.pid ?? 0,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGINT');
      return exited;
    },
  };
}
