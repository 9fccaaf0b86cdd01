// The UI benchmark's server: `vigil web` (the production build, no worker) on a free loopback
// port against the scratch database, and a signed-in session on it.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { findFreePort } from '../../lib/net/find-free-port';

const ROOT = path.join(import.meta.dirname, '../..');
/** better-auth names the session cookie `<cookiePrefix>.session_token` (`__Secure-` first on secure cookies); lib/auth/auth.ts sets the prefix. */
const SESSION_COOKIE_SUFFIX = 'vigil.session_token';

export type WebServer = { baseUrl: string; pid: number; output(): string; stop(): Promise<void> };

/**
 * Starts `node bin/vigil.mjs web` in a process group of its own (so stopping it also stops the
 * web server it spawns) and waits until /api/health answers at all: without a worker it says 503.
 */
export async function startWebServer(env: Record<string, string>, timeoutMs = 180_000): Promise<WebServer> {
  const port = await findFreePort();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/vigil.mjs'), 'web'], {
    cwd: ROOT,
    // VIGIL_PUBLIC_URL empty counts as unset: the server's origin is the loopback address it is asked on.
    env: { ...process.env, VIGIL_PUBLIC_URL: '', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (child.exitCode !== null || child.signalCode !== null) return;
    signalGroup(child.pid!, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    // The web server may outlive the launcher for a moment: make sure nothing of the group stays.
    signalGroup(child.pid!, 'SIGKILL');
  };
  // The server runs in its own process group, so Ctrl-C on the bench would not reach it: pass it on.
  // The requests in flight then fail, and the bench unwinds (drops its database) as on any error.
  const onSignal = () => void stop();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(`vigil web exited before answering:\n${output}`);
    }
    try {
      await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(3000) }).then((response) => response.text());
      break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`vigil web did not answer at ${baseUrl} within ${timeoutMs / 1000} s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return { baseUrl, pid: child.pid!, output: () => output, stop };
}

function signalGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Signs in as the sign-in page does; returns the `name=value` cookie to send. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify({ email, password }),
  });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`sign-in answered ${response.status}: ${body.slice(0, 300)}`);
  const cookie = response.headers
    .getSetCookie()
    .map((header) => header.split(';')[0]!)
    .find((pair) => pair.split('=')[0]!.endsWith(SESSION_COOKIE_SUFFIX));
  if (!cookie) throw new Error('sign-in set no session cookie');
  return cookie;
}

/** Runs `run` against a started web server, which is stopped afterwards; a failure logs the server's last lines first. */
export async function withWebServer<T>(
  env: Record<string, string>,
  log: (message: string) => void,
  run: (server: WebServer) => Promise<T>,
): Promise<T> {
  const server = await startWebServer(env);
  try {
    return await run(server);
  } catch (error) {
    const output = server.output().trim();
    if (output) log(`web server output (last lines):\n${output.split('\n').slice(-30).join('\n')}`);
    throw error;
  } finally {
    await server.stop();
  }
}
