import type { TaskList } from 'graphile-worker';

/** Every job the worker knows, by name. The detection jobs register here. */
export const taskList: TaskList = {};
