import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const SOURCE_ENTRIES = ['app', 'components', 'lib', 'next.config.ts', 'proxy.ts', 'package-lock.json', 'tsconfig.json'];

/** Runs `next build` when there is no build yet or a source file is newer than it. */
export function buildIfNeeded(root: string, say: (message: string) => void) {
  const buildId = path.join(root, '.next', 'BUILD_ID');
  const builtAt = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  if (builtAt > 0 && newestSourceChange(root) <= builtAt) return;
  say(
    builtAt === 0
      ? 'building the app (first run, about a minute)…'
      : 'sources changed since the last build; rebuilding…',
  );
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules/next/dist/bin/next'), 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) throw new Error('`next build` failed; see its output above.');
}

function newestSourceChange(root: string): number {
  let newest = 0;
  const visit = (entry: string) => {
    if (!existsSync(entry) || entry.endsWith(`${path.sep}generated`)) return;
    const stats = statSync(entry);
    if (stats.isDirectory()) for (const child of readdirSync(entry)) visit(path.join(entry, child));
    else newest = Math.max(newest, stats.mtimeMs);
  };
  for (const entry of SOURCE_ENTRIES) visit(path.join(root, entry));
  return newest;
}
