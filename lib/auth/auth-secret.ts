// The key better-auth signs session cookies with: VIGIL_AUTH_SECRET, or one generated once into
// the data folder, so `npm start`, `start:web` and the CLI on one machine agree without setup.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Env } from '../env';

export function resolveAuthSecret(env: Env): string {
  if (env.VIGIL_AUTH_SECRET) return env.VIGIL_AUTH_SECRET;
  const file = path.join(env.dataDir, 'auth-secret');
  try {
    const stored = readFileSync(file, 'utf8').trim();
    if (stored.length >= 32) return stored;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(env.dataDir, { recursive: true, mode: 0o711 });
  const secret = randomBytes(32).toString('base64url');
  try {
    // 'wx': when two processes race, the first file wins and the second reads it.
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readFileSync(file, 'utf8').trim();
  }
}
