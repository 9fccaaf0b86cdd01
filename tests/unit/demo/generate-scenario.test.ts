import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DEFAULT_SCENARIO_END, generateScenario } from '../../../lib/demo/generate-scenario';
import type { K8sAuditEvent } from '../../../lib/demo/types';
import { writeScenario } from '../../../lib/demo/write-format';
import { toMicros } from './reference-rules';

const timestamp = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
const userSchema = z.strictObject({
  username: z.string().min(1),
  uid: z.string().optional(),
  groups: z.array(z.string()).optional(),
  extra: z.record(z.string(), z.array(z.string()).length(1)).optional(),
});
const auditEventSchema = z.strictObject({
  kind: z.literal('Event'),
  apiVersion: z.literal('audit.k8s.io/v1'),
  level: z.enum(['Metadata', 'Request', 'RequestResponse']),
  auditID: z.uuid(),
  stage: z.enum(['RequestReceived', 'ResponseStarted', 'ResponseComplete']),
  requestURI: z.string().startsWith('/'),
  verb: z.enum(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete']),
  user: userSchema,
  impersonatedUser: userSchema.optional(),
  sourceIPs: z.array(z.ipv4()).min(1),
  userAgent: z.string().min(1),
  objectRef: z
    .strictObject({
      resource: z.string().min(1),
      namespace: z.string().optional(),
      name: z.string().optional(),
      apiGroup: z.string().optional(),
      apiVersion: z.string(),
      subresource: z.string().optional(),
    })
    .optional(),
  responseStatus: z
    .strictObject({
      metadata: z.strictObject({}),
      status: z.literal('Failure').optional(),
      message: z.string().optional(),
      reason: z.string().optional(),
      code: z.number().int(),
    })
    .optional(),
  requestReceivedTimestamp: timestamp,
  stageTimestamp: timestamp,
  annotations: z
    .strictObject({
      'authorization.k8s.io/decision': z.enum(['allow', 'forbid']),
      'authorization.k8s.io/reason': z.string(),
    })
    .optional(),
});

function firstLines(seed: number, count: number): string[] {
  const scenario = generateScenario({ seed, events: 5000 });
  const lines: string[] = [];
  for (const chunk of writeScenario(scenario, 'k8s-audit')) {
    lines.push(...chunk.split('\n'));
    if (lines.length > count) break;
  }
  return lines.slice(0, count);
}

describe('generateScenario', () => {
  const scenario = generateScenario({});
  const events = [...scenario.auditEvents()];
  const files = [...scenario.fileEvents()];

  it('writes the same bytes for the same seed and different ones for another seed', () => {
    const first = firstLines(11, 1000);
    expect(first).toHaveLength(1000);
    expect(firstLines(11, 1000)).toEqual(first);
    expect(firstLines(12, 1000)).not.toEqual(first);
    expect(generateScenario({ seed: 11, events: 5000 }).groundTruth).toEqual(
      generateScenario({ seed: 11, events: 5000 }).groundTruth,
    );
  });

  it('yields the same sequence on every call', () => {
    const again = [...scenario.auditEvents()];
    expect(again.map((event) => event.auditID + event.stage)).toEqual(
      events.map((event) => event.auditID + event.stage),
    );
  });

  it('yields exactly the requested number of audit events, in time order, within the span', () => {
    expect(events).toHaveLength(20_000);
    expect(scenario.auditEventCount).toBe(20_000);
    const start = scenario.start.getTime() * 1000;
    const end = DEFAULT_SCENARIO_END.getTime() * 1000;
    expect(scenario.end).toEqual(DEFAULT_SCENARIO_END);
    expect(scenario.start).toEqual(new Date(DEFAULT_SCENARIO_END.getTime() - 6 * 3_600_000));
    let previous = start;
    for (const event of events) {
      const time = toMicros(event.requestReceivedTimestamp);
      expect(time).toBeGreaterThanOrEqual(previous);
      expect(time).toBeLessThan(end);
      expect(toMicros(event.stageTimestamp)).toBeGreaterThanOrEqual(time);
      previous = time;
    }
    expect(files).toHaveLength(scenario.fileEventCount);
    const fileTimes = files.map((file) => file['@timestamp']);
    expect(fileTimes).toEqual([...fileTimes].sort());
  });

  it('emits native audit.k8s.io/v1 Events', () => {
    for (const event of events) {
      const parsed = auditEventSchema.safeParse(event);
      if (!parsed.success) throw new Error(`${JSON.stringify(event)}\n${parsed.error.message}`);
    }
  });

  it('logs a request at most once per stage, its stages adjacent and well formed', () => {
    const seen = new Set<string>();
    const stagesById = new Map<string, K8sAuditEvent[]>();
    events.forEach((event, index) => {
      const key = `${event.auditID}/${event.stage}`;
      expect(seen.has(key)).toBe(false);
      seen.add(key);
      const group = stagesById.get(event.auditID) ?? [];
      if (group.length > 0) expect(events[index - 1]!.auditID).toBe(event.auditID);
      stagesById.set(event.auditID, [...group, event]);
    });
    for (const group of stagesById.values()) {
      const stages = group.map((event) => event.stage).join(',');
      expect(['ResponseComplete', 'RequestReceived,ResponseComplete', 'ResponseStarted,ResponseComplete']).toContain(
        stages,
      );
      for (const event of group) {
        if (event.stage === 'RequestReceived') {
          expect(event.responseStatus).toBeUndefined();
          expect(event.annotations).toBeUndefined();
        } else expect(event.responseStatus).toBeDefined();
      }
    }
    const twoStage = [...stagesById.values()].filter((group) => group.length === 2).length;
    expect(twoStage / stagesById.size).toBeGreaterThan(0.03);
  });

  it('looks like a living cluster', () => {
    const usernames = new Set(events.map((event) => event.user.username));
    for (const expected of [
      'system:kube-controller-manager',
      'system:kube-scheduler',
      'system:serviceaccount:kube-system:coredns',
      'system:serviceaccount:ingress-nginx:ingress-nginx',
      'system:serviceaccount:ci:deployer',
      'system:serviceaccount:cert-manager:cert-manager',
      'system:serviceaccount:flux-system:source-controller',
      'alice@example.com',
      'bob@example.com',
      'oncall',
      'system:anonymous',
    ]) {
      expect(usernames).toContain(expected);
    }
    expect([...usernames].some((name) => name.startsWith('system:node:'))).toBe(true);
    const codes = new Set(events.map((event) => event.responseStatus?.code));
    for (const code of [200, 201, 101, 403, 404]) expect(codes).toContain(code);
    expect(events.some((event) => event.verb === 'watch')).toBe(true);
    expect(events.some((event) => event.sourceIPs[0] === '127.0.0.1')).toBe(true);
    expect(events.some((event) => event.impersonatedUser)).toBe(true);
    expect(
      events.some(
        (event) => event.userAgent === 'Helm/3.15.2' && event.objectRef?.name?.startsWith('sh.helm.release.v1.'),
      ),
    ).toBe(true);

    const bound = events.find((event) => event.user.username === 'system:serviceaccount:cert-manager:cert-manager')!;
    expect(Object.keys(bound.user.extra ?? {})).toEqual([
      'authentication.kubernetes.io/credential-id',
      'authentication.kubernetes.io/node-name',
      'authentication.kubernetes.io/node-uid',
      'authentication.kubernetes.io/pod-name',
      'authentication.kubernetes.io/pod-uid',
    ]);
    expect(bound.user.extra?.['authentication.kubernetes.io/pod-name']?.[0]).toMatch(
      /^cert-manager-[a-z0-9]+-[a-z0-9]{5}$/,
    );
    expect(bound.user.groups).toContain('system:serviceaccounts:cert-manager');

    expect(files.some((file) => !file.process.interactive && file.file.path.endsWith('/serviceaccount/token'))).toBe(
      true,
    );
    expect(files.some((file) => file.process.interactive && !file.file.path.endsWith('/token'))).toBe(true);
  });

  it('plants the R4 decoy: the same pod name in another namespace, calling the API in the window', () => {
    const decoy = scenario.groundTruth.decoys.find((entry) => entry.scenario === 'r4-same-pod-name-other-namespace')!;
    const alert = scenario.groundTruth.alerts.find((entry) => entry.ruleId === 'sa-token-access-then-api-request')!;
    expect(decoy.key.podName).toBe(alert.key.podName);
    expect(decoy.key.namespace).not.toBe(alert.key.namespace);
    expect(decoy.upstreamWouldAlert).toBe(true);
    const decoyEvents = events.filter(
      (event) => decoy.auditIds.includes(event.auditID) && event.stage !== 'RequestReceived',
    );
    expect(decoyEvents).toHaveLength(decoy.auditIds.length);
    const tokenRead = files.find((file) => file.event.id === alert.fileEventIds[0])!;
    expect(tokenRead.orchestrator).toMatchObject({ namespace: 'payments', resource: { name: alert.key.podName } });
    for (const event of decoyEvents) {
      expect(event.user.extra?.['authentication.kubernetes.io/pod-name']).toEqual([alert.key.podName]);
      expect(event.user.username).toMatch(/^system:serviceaccount:payments-staging:/);
      const delay = toMicros(event.requestReceivedTimestamp) - toMicros(tokenRead['@timestamp']);
      expect(delay).toBeGreaterThan(0);
      expect(delay).toBeLessThanOrEqual(60_000_000);
    }
  });

  it('places the token read as the rule expects', () => {
    const alert = scenario.groundTruth.alerts.find((entry) => entry.ruleId === 'sa-token-access-then-api-request')!;
    const tokenRead = files.find((file) => file.event.id === alert.fileEventIds[0])!;
    expect(tokenRead).toMatchObject({
      event: { type: ['change'], action: 'open' },
      file: { path: '/var/run/secrets/kubernetes.io/serviceaccount/token' },
      host: { os: { type: 'linux' } },
      process: { interactive: true, name: 'cat', args: ['cat', '/var/run/secrets/kubernetes.io/serviceaccount/token'] },
      orchestrator: { cluster: { name: 'demo-cluster' }, namespace: 'payments', resource: { type: 'pod' } },
    });
    expect(tokenRead.container.id).toMatch(/^[0-9a-f]{64}$/);
    const delays = alert.auditIds.map((id) => {
      const event = events.find((candidate) => candidate.auditID === id)!;
      return toMicros(event.requestReceivedTimestamp) - toMicros(tokenRead['@timestamp']);
    });
    for (const delay of delays) expect(delay > 0 && delay <= 20_000_000).toBe(true);
  });

  it('honours the options and rejects bad ones', () => {
    const custom = generateScenario({
      seed: 4,
      events: 3000,
      hours: 2,
      cluster: 'prod-eu',
      end: new Date('2025-01-01T00:00:00Z'),
    });
    expect(custom.groundTruth).toMatchObject({
      seed: 4,
      cluster: 'prod-eu',
      start: '2024-12-31T22:00:00.000Z',
      auditEvents: 3000,
    });
    expect([...custom.auditEvents()]).toHaveLength(3000);
    expect([...custom.fileEvents()][0]!.orchestrator.cluster.name).toBe('prod-eu');
    expect(() => generateScenario({ events: 100 })).toThrow(/plants \d+ audit events/);
    expect(() => generateScenario({ hours: 1 })).toThrow(/hours/);
    expect(() => generateScenario({ seed: -1 })).toThrow(/seed/);
    expect(() => generateScenario({ cluster: 'Bad Name' })).toThrow(/cluster/);
  });
});
