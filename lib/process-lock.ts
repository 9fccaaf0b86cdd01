// A lock file holding the owner's pid. A lock whose process is gone (hard kill,
// reboot) is stale and taken over, so nothing needs manual clean-up.
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';

export type ProcessLock = { release(): Promise<void> };
export type LockAttempt = { acquired: true; lock: ProcessLock } | { acquired: false; heldBy: number };

export function isProcessAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(file: string): number {
  try {
    return Number(readFileSync(file, 'utf8').trim()) || 0;
  } catch {
    return 0;
  }
}

/** Takes the lock now or reports the live process that holds it. */
export async function tryAcquireProcessLock(file: string): Promise<LockAttempt> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await fs.writeFile(file, String(process.pid), { flag: 'wx', mode: 0o644 });
      return {
        acquired: true,
        lock: {
          release: async () => {
            if (readOwner(file) === process.pid) await fs.rm(file, { force: true });
          },
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readOwner(file);
      if (owner && owner !== process.pid && isProcessAlive(owner)) return { acquired: false, heldBy: owner };
      await fs.rm(file, { force: true });
    }
  }
  throw new Error(`could not take the lock ${file}`);
}

const inProcessQueues = new Map<string, Promise<unknown>>();

/** Waits (up to timeoutMs) for the lock; callers within one process queue behind each other first. */
export async function acquireProcessLock(file: string, timeoutMs = 120_000): Promise<ProcessLock> {
  const previous = inProcessQueues.get(file) ?? Promise.resolve();
  let releaseTurn = () => {};
  const turn = new Promise<void>((resolve) => (releaseTurn = resolve));
  inProcessQueues.set(
    file,
    previous.then(() => turn),
  );
  await previous;
  try {
    const lock = await waitForFileLock(file, timeoutMs);
    return {
      release: async () => {
        await lock.release();
        releaseTurn();
      },
    };
  } catch (error) {
    releaseTurn();
    throw error;
  }
}

async function waitForFileLock(file: string, timeoutMs: number): Promise<ProcessLock> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const attempt = await tryAcquireProcessLock(file);
    if (attempt.acquired) return attempt.lock;
    if (Date.now() > deadline) throw new Error(`timed out waiting for process ${attempt.heldBy} to release ${file}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
