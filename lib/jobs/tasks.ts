import type { TaskList } from 'graphile-worker';
import type pg from 'pg';
import { createDetectTasks, DETECT_RECENT_TASK } from './detect-task';

/** Every job the worker knows, by name. */
export function createTaskList(pool: pg.Pool, log: (message: string) => void): TaskList {
  return { ...createDetectTasks(pool, log) };
}

/** graphile-worker crontab: the scheduled pass over recent data, for live webhook streams. */
export const CRONTAB = `* * * * * ${DETECT_RECENT_TASK} ?max=1`;
