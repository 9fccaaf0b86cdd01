// Incident grouping: identity chains within a gap, deterministic in any input order, explained.
import { describe, expect, it } from 'vitest';
import { groupAlerts, highestSeverity, titleIncident, type GroupableAlert } from '../../../lib/incidents/group-alerts';

const HOUR = 3_600_000;
const GAP = 24 * HOUR;
const at = (hours: number) => new Date(Date.UTC(2026, 2, 14, 9) + hours * HOUR);
const SA = 'system:serviceaccount:payments:debug';

let serial = 0;
function alert(overrides: Partial<GroupableAlert> & { hours?: number }): GroupableAlert {
  const { hours = 0, ...rest } = overrides;
  serial++;
  return {
    id: `00000000-0000-4000-8000-${String(serial).padStart(12, '0')}`,
    ruleId: 'secret-read-by-node-or-pod-sa',
    severity: 'medium',
    cluster: 'prod',
    firstEventAt: at(hours),
    lastEventAt: at(hours + 0.1),
    username: null,
    podName: null,
    podNamespace: null,
    sourceIps: [],
    ...rest,
  };
}

const shuffle = <T>(items: readonly T[]) => [...items].reverse().sort((a, b) => (String(a) < String(b) ? 1 : -1));

describe('groupAlerts', () => {
  it("joins R4 → R1 → R2 by one pod's token and keeps the same-named decoy pod and an unrelated R3 apart", () => {
    const r4 = alert({
      ruleId: 'sa-token-access-then-api-request',
      severity: 'high',
      podName: 'debug-7f9c',
      podNamespace: 'payments',
      username: SA,
      sourceIps: ['10.0.3.7'],
    });
    const r1 = alert({ hours: 0.5, podName: 'debug-7f9c', username: SA, sourceIps: ['10.0.3.7'] });
    const r2 = alert({
      hours: 1,
      ruleId: 'rapid-secret-get-multiple-objects',
      severity: 'critical',
      podName: 'debug-7f9c',
      username: SA,
      sourceIps: ['10.0.3.7'],
    });
    const decoy = alert({
      ruleId: 'sa-token-access-then-api-request',
      hours: 0.7,
      podName: 'debug-7f9c',
      podNamespace: 'staging',
      username: 'system:serviceaccount:staging:debug',
      sourceIps: ['10.0.9.9'],
    });
    const r3 = alert({ hours: 2, ruleId: 'secret-enumeration-by-user', username: 'bob', sourceIps: ['198.51.100.4'] });
    const groups = groupAlerts([r2, decoy, r3, r1, r4], GAP);
    expect(groups.map((group) => group.members.map((member) => member.alertId))).toEqual([
      [r4.id, r1.id, r2.id],
      [decoy.id],
      [r3.id],
    ]);
    expect(groups[0]!.members).toEqual([
      { alertId: r4.id, joinedWith: null, reason: null },
      { alertId: r1.id, joinedWith: r4.id, reason: 'joined because shared pod payments/debug-7f9c' },
      { alertId: r2.id, joinedWith: r1.id, reason: 'joined because shared pod payments/debug-7f9c' },
    ]);
    expect(highestSeverity(['medium', 'critical', 'high'])).toBe('critical');
    expect(titleIncident([r4, r1, r2])).toBe(`pod payments/debug-7f9c · ${SA}`);
  });

  it('gives the same groups in any order of its input', () => {
    const alerts = [
      alert({ podName: 'a', podNamespace: 'ns', username: 'system:serviceaccount:ns:x' }),
      alert({ hours: 3, username: 'alice', sourceIps: ['203.0.113.1'] }),
      alert({ hours: 4, username: 'alice', sourceIps: ['203.0.113.1', '10.0.0.1'] }),
      alert({ hours: 5, podName: 'a', username: 'system:serviceaccount:ns:x' }),
      alert({ hours: 6, username: 'alice', sourceIps: ['10.0.0.2'] }),
    ];
    const once = groupAlerts(alerts, GAP);
    expect(groupAlerts(shuffle(alerts), GAP)).toEqual(once);
    expect(groupAlerts([...alerts].reverse(), GAP)).toEqual(once);
    expect(once.map((group) => group.members.length)).toEqual([2, 2, 1]);
  });

  it('breaks a chain at a quiet time longer than the gap, measured from the end of the chain so far', () => {
    const first = alert({ username: 'alice', sourceIps: ['203.0.113.1'] });
    const long = alert({ hours: 20, username: 'alice', sourceIps: ['203.0.113.1'] });
    long.lastEventAt = at(30);
    const withinOfLongEnd = alert({ hours: 50, username: 'alice', sourceIps: ['203.0.113.1'] });
    const late = alert({ hours: 80, username: 'alice', sourceIps: ['203.0.113.1'] });
    const groups = groupAlerts([first, long, withinOfLongEnd, late], GAP);
    expect(groups.map((group) => group.members.length)).toEqual([3, 1]);
    expect(groupAlerts([first, long, withinOfLongEnd, late], 19.95 * HOUR).map((g) => g.members.length)).toEqual([
      2, 1, 1,
    ]);
  });

  it('joins a user only with the same source IP, and never across clusters', () => {
    const a = alert({ username: 'alice', sourceIps: ['203.0.113.1'] });
    const otherIp = alert({ hours: 1, username: 'alice', sourceIps: ['203.0.113.2'] });
    const otherCluster = alert({ hours: 1, cluster: 'dev', username: 'alice', sourceIps: ['203.0.113.1'] });
    expect(groupAlerts([a, otherIp, otherCluster], GAP)).toHaveLength(3);
  });

  it("joins a service account's pod-less (stolen) token use to its pods' alerts, and its token's source IP", () => {
    const podAlert = alert({ podName: 'web-1', username: SA, sourceIps: ['10.0.3.7'] });
    const otherPod = alert({ hours: 1, podName: 'web-2', username: SA, sourceIps: ['10.0.3.8'] });
    expect(groupAlerts([podAlert, otherPod], GAP)).toHaveLength(2);
    const stolen = alert({ hours: 2, username: SA, sourceIps: ['198.51.100.7'] });
    const groups = groupAlerts([podAlert, otherPod, stolen], GAP);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.members[2]).toEqual({
      alertId: stolen.id,
      joinedWith: podAlert.id,
      reason: `joined because service account ${SA}`,
    });
    const sameIp = alert({ hours: 3, podName: 'web-3', username: SA, sourceIps: ['10.0.3.7'] });
    expect(groupAlerts([podAlert, sameIp], GAP)[0]!.members[1]!.reason).toBe(
      `joined because service account ${SA} token used from 10.0.3.7`,
    );
  });

  it('groups 10k alerts of mixed identities the same way in any order (its speed: npm run bench -- incidents)', () => {
    const many = Array.from({ length: 10_000 }, (_, index) =>
      alert({
        hours: index / 100,
        username: index % 3 === 0 ? `system:serviceaccount:ns${index % 50}:sa` : `user${index % 400}`,
        podName: index % 3 === 0 ? `pod-${index % 200}` : null,
        sourceIps: [`10.0.${index % 7}.${index % 250}`],
      }),
    );
    const groups = groupAlerts(many, GAP);
    expect(groupAlerts([...many].reverse(), GAP)).toEqual(groups);
    expect(groups.flatMap((group) => group.members).length).toBe(10_000);
    expect(new Set(groups.flatMap((group) => group.members.map((member) => member.alertId))).size).toBe(10_000);
  });
});
