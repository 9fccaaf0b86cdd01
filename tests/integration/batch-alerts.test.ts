// An upload's result says what detection then found: the alerts its events raised (new) and the
// older alerts they joined (updated), per batch.
import { afterAll, describe, expect, it } from 'vitest';
import { listBatchAlerts } from '../../lib/alerts/list-batch-alerts';
import { getPool } from '../../lib/db/pool';
import { detectBursts, ingestEvents, secretGets, seedRules, timeSlots, uniqueUser } from '../support/alert-factory';

await seedRules();
const pool = getPool();
afterAll(async () => {
  await pool.end();
});
const slot = timeSlots('2047-08-01T00:00:00Z');
const RULE_NAME = 'Rapid secret GETs against multiple objects';

describe('what detection found in a batch', () => {
  it('counts the alerts a batch raised as new and those its events joined as updated', async () => {
    const window = slot();
    const [first, second] = [uniqueUser('batch-new'), uniqueUser('batch-new')];
    const one = await ingestEvents(pool, [
      ...secretGets({ user: first, start: window.start, names: ['a', 'b', 'c'] }),
      ...secretGets({ user: second, start: window.start, names: ['d', 'e', 'f'] }),
    ]);
    expect(await listBatchAlerts(pool, [one.batchId])).toEqual(new Map());
    await detectBursts(pool, window);
    const found = (await listBatchAlerts(pool, [one.batchId])).get(one.batchId)!;
    expect({ created: found.created, updated: found.updated }).toEqual({ created: 2, updated: 0 });
    expect(found.links.map((link) => [link.ruleName, link.isNew])).toEqual([
      [RULE_NAME, true],
      [RULE_NAME, true],
    ]);

    // A later batch of the first user's burst joins that alert: updated, not new.
    const two = await ingestEvents(
      pool,
      secretGets({ user: first, start: new Date(window.start.getTime() + 40_000), names: ['g'] }),
    );
    await detectBursts(pool, window);
    const later = (await listBatchAlerts(pool, [two.batchId, one.batchId])).get(two.batchId)!;
    expect({ created: later.created, updated: later.updated }).toEqual({ created: 0, updated: 1 });
    const firstAlert = await pool.query<{ id: string }>(`SELECT id FROM alerts WHERE username = $1`, [first]);
    expect(later.links).toEqual([{ id: firstAlert.rows[0]!.id, ruleName: RULE_NAME, isNew: false }]);
  });
});
