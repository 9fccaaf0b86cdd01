// The Jobs page keeps detection runs finished in the last 7 days (graphile-worker deletes done
// jobs), each with the uploads whose events lie in its range.
import { afterAll, describe, expect, it } from 'vitest';
import { listFinishedDetections } from '../../lib/jobs/list-finished-detections';
import { seedDatabase } from '../../lib/seed/seed-database';
import { detectBursts, ingestEvents, secretGets, uniqueUser } from '../support/alert-factory';
import { openTestDatabase } from '../support/test-database';

const database = await openTestDatabase('finished-detections');
const { pool, db } = database;
afterAll(async () => {
  await database.close();
});

describe('finished detection runs', () => {
  it('lists each run of the last 7 days once, with its rules, counts and the uploads in its range', async () => {
    await seedDatabase(db, { demo: false });
    const start = new Date('2048-03-01T10:00:00Z');
    const window = { start, end: new Date(start.getTime() + 3_600_000) };
    const batch = await ingestEvents(pool, secretGets({ user: uniqueUser('finished'), start, names: ['a', 'b', 'c'] }));
    await detectBursts(pool, window);
    // A run of last month is out of the list.
    await pool.query(
      `INSERT INTO rule_runs (rule_id, range_from, range_to, started_at, finished_at)
       VALUES ('secret-enumeration-by-user', $1, $2, now() - interval '30 days', now() - interval '30 days')`,
      [window.start, window.end],
    );

    const finished = await listFinishedDetections(pool);
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatchObject({
      rangeFrom: window.start.toISOString(),
      rangeTo: window.end.toISOString(),
      rules: 1,
      eventsScanned: expect.any(Number),
      alertsCreated: 1,
      alertsUpdated: 0,
      errors: 0,
      uploads: [{ id: batch.batchId, name: 'cli batch' }],
    });
  });
});
