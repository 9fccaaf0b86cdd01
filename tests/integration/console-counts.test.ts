// One definition of each alert count: after acknowledging, closing and bulk changes, the overview's
// tiles, Rule health, "Open alerts by rule", the Rules REST view and the queue's tabs, totals and
// groups all say the same numbers. A database of its own, as the tiles count every alert stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeAlert, changeAlerts } from '../../lib/alerts/change-alerts';
import { countAlertsByRule, countAlertsByStatus } from '../../lib/alerts/count-alerts';
import { listAlertGroups, listAlerts } from '../../lib/alerts/list-alerts';
import { parseAlertSearchParams } from '../../lib/alerts/schemas';
import { readOpenAlertsByRule, resolveOverviewRange } from '../../lib/overview/read-overview';
import { listRuleHealth } from '../../lib/rules/list-rule-health';
import { listRuleViews } from '../../lib/rules/read-rules';
import { seedDatabase } from '../../lib/seed/seed-database';
import { BURST_RULE, ENUMERATION_RULE, insertAlert } from '../support/alert-factory';
import { openTestDatabase } from '../support/test-database';

const database = await openTestDatabase('console-counts');
const { pool, db } = database;
afterAll(async () => {
  await database.close();
});

const actor = { id: null, name: 'console-counts test' };
const FROM = '2043-05-01T00:00:00.000Z';
const TO = '2043-05-02T00:00:00.000Z';
const at = (hour: number) => new Date(Date.parse(FROM) + hour * 3_600_000);

type Expected = { open: number; acknowledged: number; closed: number };
type Counts = Record<string, Expected>;

/** Every place the console shows a count, read as each page reads it. */
async function readEveryPanel() {
  const range = await resolveOverviewRange(pool, { from: FROM, to: TO });
  if (!range.ok) throw new Error(range.error);
  const queueOf = async (status: string, rule?: string) => {
    const query = parseAlertSearchParams({ status, ...(rule ? { rule } : {}) });
    if (!query.success) throw query.error;
    return listAlerts(pool, query.data);
  };
  return {
    tiles: await countAlertsByStatus(pool),
    ruleHealth: await listRuleHealth(db),
    byRule: await readOpenAlertsByRule(pool, range.range),
    ruleViews: await listRuleViews(db),
    queueOf,
    groups: await listAlertGroups(pool, {}, 'rule'),
  };
}

async function expectAgreement(perRule: Counts) {
  const panels = await readEveryPanel();
  const sum = (key: keyof Expected) => Object.values(perRule).reduce((total, counts) => total + counts[key], 0);
  const all = sum('open') + sum('acknowledged') + sum('closed');
  expect(panels.tiles).toEqual({ open: sum('open'), acknowledged: sum('acknowledged'), closed: sum('closed'), all });

  const openQueue = await panels.queueOf('open');
  expect(openQueue.total).toBe(sum('open'));
  expect(openQueue.rows).toHaveLength(sum('open'));
  expect(openQueue.statusCounts).toEqual(panels.tiles);
  expect((await panels.queueOf('acknowledged')).total).toBe(sum('acknowledged'));
  expect((await panels.queueOf('all')).total).toBe(all);

  for (const [ruleId, expected] of Object.entries(perRule)) {
    const health = panels.ruleHealth.find((row) => row.ruleId === ruleId)!;
    const ruleAll = expected.open + expected.acknowledged + expected.closed;
    expect({
      ruleId,
      open: health.openAlerts,
      acknowledged: health.acknowledgedAlerts,
      all: health.totalAlerts,
    }).toEqual({ ruleId, open: expected.open, acknowledged: expected.acknowledged, all: ruleAll });
    const view = panels.ruleViews.find((row) => row.id === ruleId)!;
    expect(view.alerts).toEqual({ open: expected.open, acknowledged: expected.acknowledged, total: ruleAll });

    const byRule = panels.byRule.find((row) => row.ruleId === ruleId);
    if (expected.open + expected.acknowledged === 0) expect(byRule).toBeUndefined();
    else expect(byRule).toMatchObject({ open: expected.open, acknowledged: expected.acknowledged });

    const ruleQueue = await panels.queueOf('open', ruleId);
    expect(ruleQueue.total).toBe(expected.open);
    expect(ruleQueue.statusCounts).toEqual({ ...expected, all: ruleAll });
    expect(panels.groups.find((group) => group.key === ruleId)?.open ?? 0).toBe(expected.open);
  }
}

const burst: string[] = [];
const enumeration: string[] = [];

beforeAll(async () => {
  await seedDatabase(db, { demo: false });
  for (let index = 0; index < 30; index++)
    burst.push(await insertAlert(pool, { ruleId: BURST_RULE, severity: 'medium', firstEventAt: at(index % 20) }));
  for (let index = 0; index < 4; index++)
    enumeration.push(
      await insertAlert(pool, {
        ruleId: ENUMERATION_RULE,
        severity: index === 0 ? 'critical' : 'low',
        firstEventAt: at(index + 1),
      }),
    );
  // Withdrawn alerts (no longer raised) are out of every count, whatever their status says.
  const withdrawn = await insertAlert(pool, { ruleId: BURST_RULE, firstEventAt: at(3) });
  const withdrawnAck = await insertAlert(pool, {
    ruleId: ENUMERATION_RULE,
    status: 'acknowledged',
    firstEventAt: at(3),
  });
  await pool.query(`UPDATE alerts SET withdrawn_at = now(), withdrawn_reason = 'not-raised' WHERE id = ANY($1)`, [
    [withdrawn, withdrawnAck],
  ]);
});

describe('every count of alerts, after each kind of status change', () => {
  it('agrees before any triage', async () => {
    await expectAgreement({
      [BURST_RULE]: { open: 30, acknowledged: 0, closed: 0 },
      [ENUMERATION_RULE]: { open: 4, acknowledged: 0, closed: 0 },
    });
  });

  it('agrees after acknowledging and closing single alerts', async () => {
    await changeAlert(pool, enumeration[0]!, { status: 'acknowledged' }, actor);
    await changeAlert(pool, enumeration[1]!, { status: 'closed', closeReason: 'false_positive' }, actor);
    await changeAlert(pool, burst[0]!, { closeReason: 'true_positive' }, actor);
    await expectAgreement({
      [BURST_RULE]: { open: 29, acknowledged: 0, closed: 1 },
      [ENUMERATION_RULE]: { open: 2, acknowledged: 1, closed: 1 },
    });
  });

  it('agrees after a bulk acknowledge by filter (more than 25 alerts, confirmed)', async () => {
    const result = await changeAlerts(
      pool,
      { filter: { status: 'open', rule: [BURST_RULE] } },
      { status: 'acknowledged' },
      actor,
      { confirmed: true },
    );
    expect(result.changed).toBe(29);
    await expectAgreement({
      [BURST_RULE]: { open: 0, acknowledged: 29, closed: 1 },
      [ENUMERATION_RULE]: { open: 2, acknowledged: 1, closed: 1 },
    });
  });

  it('agrees after a bulk close of a selection and a reopen', async () => {
    await changeAlerts(pool, { ids: burst.slice(1, 11) }, { status: 'closed', closeReason: 'benign_positive' }, actor);
    await changeAlert(pool, burst[0]!, { status: 'open' }, actor);
    await expectAgreement({
      [BURST_RULE]: { open: 1, acknowledged: 19, closed: 10 },
      [ENUMERATION_RULE]: { open: 2, acknowledged: 1, closed: 1 },
    });
  });

  it('agrees once every alert is closed: nothing open anywhere', async () => {
    await changeAlerts(pool, { filter: {} }, { status: 'closed', closeReason: 'other' }, actor, { confirmed: true });
    await expectAgreement({
      [BURST_RULE]: { open: 0, acknowledged: 0, closed: 30 },
      [ENUMERATION_RULE]: { open: 0, acknowledged: 0, closed: 4 },
    });
  });
});

describe('"Open alerts by rule" severity', () => {
  it('badges each rule with the highest severity of its open and acknowledged alerts, not the rule default', async () => {
    await changeAlerts(pool, { ids: enumeration }, { status: 'open' }, actor);
    await changeAlert(pool, burst[5]!, { status: 'open' }, actor);
    const range = await resolveOverviewRange(pool, { from: FROM, to: TO });
    if (!range.ok) throw new Error(range.error);
    const byRule = await readOpenAlertsByRule(pool, range.range);
    // The burst rule's default is high; its one open alert is medium. The enumeration rule's default is medium.
    expect(byRule.map(({ ruleId, severity }) => ({ ruleId, severity }))).toEqual([
      { ruleId: ENUMERATION_RULE, severity: 'critical' },
      { ruleId: BURST_RULE, severity: 'medium' },
    ]);
    await changeAlert(pool, enumeration[0]!, { status: 'closed', closeReason: 'duplicate' }, actor);
    const after = await countAlertsByRule(pool, { from: FROM, to: TO });
    expect(after.find((row) => row.ruleId === ENUMERATION_RULE)?.highestActiveSeverity).toBe('low');
  });
});
