import type { Db } from '../db/client';

/** A worker counts as alive while its last heartbeat is younger than this. */
export const WORKER_STALE_AFTER_MS = 30_000;
export const WORKER_HEARTBEAT_INTERVAL_MS = 5_000;

export type WorkerIdentity = { id: string; hostname: string; pid: number; startedAt: Date; jobWorkerIds: string[] };

export async function recordWorkerHeartbeat(db: Db, worker: WorkerIdentity) {
  await db.workerHeartbeat.upsert({
    where: { id: worker.id },
    create: { ...worker, lastSeenAt: new Date() },
    update: { lastSeenAt: new Date(), jobWorkerIds: worker.jobWorkerIds },
  });
}

/**
 * Worker processes whose heartbeat stopped: they died holding their jobs. Returns the ids
 * their jobs are locked under (to unlock) and forgets them.
 */
export async function takeDeadWorkers(
  db: Db,
  now = new Date(),
  staleAfterMs = WORKER_STALE_AFTER_MS,
): Promise<{ processIds: string[]; lockIds: string[] }> {
  const stale = { lastSeenAt: { lt: new Date(now.getTime() - staleAfterMs) } };
  const dead = await db.workerHeartbeat.findMany({ where: stale });
  await db.workerHeartbeat.deleteMany({ where: { id: { in: dead.map((worker) => worker.id) } } });
  return { processIds: dead.map((worker) => worker.id), lockIds: dead.flatMap((worker) => worker.jobWorkerIds) };
}

export async function removeWorkerHeartbeat(db: Db, workerId: string) {
  await db.workerHeartbeat.deleteMany({ where: { id: workerId } });
}

export type WorkerLiveness = { alive: boolean; workers: number; lastSeenAt: Date | null; ageSeconds: number | null };

export async function readWorkerLiveness(db: Db, now = new Date()): Promise<WorkerLiveness> {
  const latest = await db.workerHeartbeat.findFirst({ orderBy: { lastSeenAt: 'desc' } });
  const workers = await db.workerHeartbeat.count({
    where: { lastSeenAt: { gt: new Date(now.getTime() - WORKER_STALE_AFTER_MS) } },
  });
  const ageMs = latest ? now.getTime() - latest.lastSeenAt.getTime() : null;
  return {
    alive: workers > 0,
    workers,
    lastSeenAt: latest?.lastSeenAt ?? null,
    ageSeconds: ageMs === null ? null : Math.max(0, Math.round(ageMs / 1000)),
  };
}
