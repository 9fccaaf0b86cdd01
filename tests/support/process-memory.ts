// Resident memory of a process tree, read from /proc: how tests show a server's memory stays flat.
import { readdirSync, readFileSync } from 'node:fs';

export type ProcessMemory = { pid: number; command: string; rssBytes: number };

function readProcess(pid: number): { ppid: number; command: string; rssBytes: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    return { ppid, command, rssBytes: rssKb * 1024 };
  } catch {
    return null; // gone between the listing and the read
  }
}

/** The process and all its descendants. */
export function readProcessTree(rootPid: number): ProcessMemory[] {
  const all = new Map<number, { ppid: number; command: string; rssBytes: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const info = readProcess(Number(entry));
    if (info) all.set(Number(entry), info);
  }
  const tree: ProcessMemory[] = [];
  const visit = (pid: number) => {
    const info = all.get(pid);
    if (!info) return;
    tree.push({ pid, command: info.command, rssBytes: info.rssBytes });
    for (const [child, other] of all) if (other.ppid === pid) visit(child);
  };
  visit(rootPid);
  return tree;
}

/** The web server among the launcher's descendants (bin/web-server.mjs, titled next-server). */
export function findWebServer(rootPid: number): ProcessMemory {
  const server = readProcessTree(rootPid).find(
    (process) =>
      process.command.includes('next-server') ||
      process.command.includes('web-server.mjs') ||
      process.command.includes('next start'),
  );
  if (!server) throw new Error(`no Next.js server among the descendants of process ${rootPid}`);
  return server;
}

/** Samples a process's RSS every `intervalMs` until stopped; returns the first, peak and last, and the peak of each half. */
export function sampleRss(pid: number, intervalMs = 250) {
  const samples: number[] = [];
  const read = () => {
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    samples.push(rssKb * 1024);
  };
  read();
  const timer = setInterval(read, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      read();
      const half = Math.floor(samples.length / 2);
      return {
        first: samples[0]!,
        peak: Math.max(...samples),
        last: samples.at(-1)!,
        firstHalfPeak: Math.max(...samples.slice(0, half)),
        secondHalfPeak: Math.max(...samples.slice(half)),
        samples: samples.length,
      };
    },
  };
}

export const megabytes = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MB`;
