// The worker's notification jobs: routing alert events, delivering, and sending digests.
import type { Job } from '../jobs/define-job';
import { deliverJob } from './deliver-job';
import { digestJob } from './digest-job';
import { routeEventsJob } from './route-events-job';

export const NOTIFICATION_JOBS: readonly Job<unknown>[] = [
  routeEventsJob as Job<unknown>,
  deliverJob as Job<unknown>,
  digestJob as Job<unknown>,
];
