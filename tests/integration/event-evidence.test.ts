// The explorer's event detail lists the alerts the event is evidence of, from the same link table
// the alert page reads its evidence from; GET /api/v1/events/:id returns them too.
import { afterAll, describe, expect, it } from 'vitest';
import { GET as getEvent } from '../../app/api/v1/events/[id]/route';
import { getPool } from '../../lib/db/pool';
import { countEventsOverTime } from '../../lib/events/count-events-over-time';
import { readEvent } from '../../lib/events/read-event';
import { parseEventSearchParams } from '../../lib/events/schemas';
import { ingestEvents, raiseBurstAlert, secretGets, seedRules, timeSlots, uniqueUser } from '../support/alert-factory';
import { createTestSession } from '../support/credentials';

await seedRules();
const pool = getPool();
afterAll(async () => {
  await pool.end();
});
const slot = timeSlots('2047-02-01T00:00:00Z');
const viewer = await createTestSession('viewer');

describe('an event and the alerts it is evidence of', () => {
  it('links every alert that holds the event, and none for an event that is no evidence', async () => {
    const user = uniqueUser('evidence-of');
    const window = slot();
    const alert = await raiseBurstAlert(pool, window, { user, names: ['a-creds', 'b-creds', 'c-creds'] });
    const events = await pool.query<{ id: string }>(
      `SELECT event_id::text AS id FROM alert_events WHERE alert_id = $1`,
      [alert.id],
    );
    expect(events.rows).toHaveLength(3);
    const detail = await readEvent(pool, 'audit', events.rows[0]!.id);
    expect(detail!.alerts).toEqual([
      {
        id: alert.id,
        ruleName: 'Rapid secret GETs against multiple objects',
        severity: 'high',
        status: 'open',
        firstEventAt: window.start.toISOString(),
        withdrawn: false,
      },
    ]);

    const response = await getEvent(
      new Request(`http://vigil.test/api/v1/events/${events.rows[1]!.id}?kind=audit`, { headers: viewer.headers }),
      { params: Promise.resolve({ id: events.rows[1]!.id }) },
    );
    expect(response.status).toBe(200);
    expect((await response.json()).alerts.map((row: { id: string }) => row.id)).toEqual([alert.id]);

    // One GET by another user raises nothing: its detail lists no alert.
    const loner = uniqueUser('evidence-of-none');
    await ingestEvents(pool, secretGets({ user: loner, start: window.start, names: ['lone-creds'] }));
    const lone = await pool.query<{ id: string }>(`SELECT id::text AS id FROM audit_events WHERE username = $1`, [
      loner,
    ]);
    expect((await readEvent(pool, 'audit', lone.rows[0]!.id))!.alerts).toEqual([]);
  });
});

describe("the explorer's histogram of its selection", () => {
  it('counts the selected events per UTC bucket over the first to the last match, or over the range asked for', async () => {
    const user = uniqueUser('histogram');
    const window = slot();
    // Three GETs 10 s apart, then one 30 minutes later.
    await ingestEvents(pool, [
      ...secretGets({ user, start: window.start, names: ['h-1', 'h-2', 'h-3'] }),
      ...secretGets({ user, start: new Date(window.start.getTime() + 30 * 60_000), names: ['h-4'] }),
    ]);
    const query = (params: Record<string, string>) => {
      const parsed = parseEventSearchParams({ user, ...params });
      if (!parsed.success) throw parsed.error;
      return parsed.data;
    };
    const histogram = (await countEventsOverTime(pool, query({})))!;
    expect(histogram).toMatchObject({ from: window.start.toISOString(), bucketMinutes: 1, total: 4 });
    expect(histogram.to).toBe(new Date(window.start.getTime() + 31 * 60_000).toISOString());
    expect(histogram.buckets).toHaveLength(31);
    expect(histogram.buckets[0]).toEqual({ start: window.start.toISOString(), allowed: 3, forbidden: 0, other: 0 });
    expect(histogram.buckets[30]).toMatchObject({ allowed: 1 });
    expect(histogram.buckets.slice(1, 30).every((bucket) => bucket.allowed === 0)).toBe(true);

    const day = (await countEventsOverTime(
      pool,
      query({ from: window.start.toISOString(), to: new Date(window.start.getTime() + 86_400_000).toISOString() }),
    ))!;
    expect({ bucketMinutes: day.bucketMinutes, total: day.total, buckets: day.buckets.length }).toEqual({
      bucketMinutes: 60,
      total: 4,
      buckets: 24,
    });
    expect(day.buckets[0]).toMatchObject({ allowed: 4 });
    expect(await countEventsOverTime(pool, query({ user: `${user}-nobody` }))).toBeNull();
  });
});
