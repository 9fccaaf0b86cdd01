import { createHash } from 'node:crypto';
import type { AlertCandidate, DetectionAuditEvent, DetectionFileEvent, PriorWindow, RuleMetadata } from './types';
import type { Severity } from '../vocabulary/severity';

/** The grouping fields as JSON, keys in the order given: stable, unambiguous and readable. */
export function formatGroupKey(fields: Record<string, string | null>): string {
  return JSON.stringify(fields);
}

export function computeAlertIdentity(ruleId: string, groupKey: string, windowStart: Date): string {
  return createHash('sha256').update(`${ruleId}\n${groupKey}\n${windowStart.toISOString()}`).digest('hex');
}

export function listDistinct<T>(values: readonly (T | null | undefined)[]): T[] {
  return [...new Set(values.filter((value): value is T => value !== null && value !== undefined && value !== ''))];
}

/** Time order, then id, so equal timestamps still give one order. */
export function sortByTime<T extends { time: Date; id: string }>(events: readonly T[]): T[] {
  return [...events].sort((left, right) => left.time.getTime() - right.time.getTime() || compareIds(left.id, right.id));
}

function compareIds(left: string, right: string): number {
  return left.length - right.length || (left < right ? -1 : left > right ? 1 : 0);
}

export type AnchoredWindow = {
  groupKey: string;
  windowStart: Date;
  windowEnd: Date;
  events: DetectionAuditEvent[];
  /** The window is a persisted alert's: it stays an alert whatever the new events add up to. */
  fromPrior: boolean;
};

/**
 * Tumbling windows per group, each anchored at the first event after the previous one closed:
 * [first, first + length). An event inside a prior (persisted) window of its group joins that window.
 */
export function assignAnchoredWindows(
  events: readonly DetectionAuditEvent[],
  groupKeyOf: (event: DetectionAuditEvent) => string,
  lengthMs: number,
  priorWindows: readonly PriorWindow[] = [],
): AnchoredWindow[] {
  const windows = new Map<string, AnchoredWindow>();
  const current = new Map<string, AnchoredWindow>();
  const priorByGroup = new Map<string, PriorWindow[]>();
  for (const prior of priorWindows)
    priorByGroup.set(prior.groupKey, [...(priorByGroup.get(prior.groupKey) ?? []), prior]);

  for (const event of sortByTime(events)) {
    const groupKey = groupKeyOf(event);
    const time = event.time.getTime();
    const prior = priorByGroup
      .get(groupKey)
      ?.find((window) => window.windowStart.getTime() <= time && time < window.windowStart.getTime() + lengthMs);
    let window = current.get(groupKey);
    if (prior) {
      const id = `${groupKey}\n${prior.windowStart.toISOString()}`;
      window = windows.get(id) ?? {
        groupKey,
        windowStart: prior.windowStart,
        windowEnd: new Date(prior.windowStart.getTime() + lengthMs),
        events: [],
        fromPrior: true,
      };
      windows.set(id, window);
    } else if (!window || time >= window.windowEnd.getTime()) {
      window = {
        groupKey,
        windowStart: event.time,
        windowEnd: new Date(time + lengthMs),
        events: [],
        fromPrior: false,
      };
      windows.set(`${groupKey}\n${event.time.toISOString()}`, window);
    }
    current.set(groupKey, window);
    window.events.push(event);
  }
  return [...windows.values()].sort((left, right) => left.windowStart.getTime() - right.windowStart.getTime());
}

/** The entity fields every alert carries, from its evidence. */
export function buildAlertCandidate(input: {
  rule: Pick<RuleMetadata, 'id'>;
  groupKey: string;
  windowStart: Date;
  windowEnd: Date;
  severity: Severity;
  riskScore: number;
  events: readonly DetectionAuditEvent[];
  fileEvents?: readonly DetectionFileEvent[];
  details: Record<string, unknown>;
}): AlertCandidate {
  const events = sortByTime(input.events);
  const fileEvents = sortByTime(input.fileEvents ?? []);
  const times = [...events, ...fileEvents].map((event) => event.time.getTime());
  const first = events[0];
  const firstFile = fileEvents[0];
  return {
    ruleId: input.rule.id,
    groupKey: input.groupKey,
    windowStart: input.windowStart,
    windowEnd: input.windowEnd,
    identity: computeAlertIdentity(input.rule.id, input.groupKey, input.windowStart),
    severity: input.severity,
    riskScore: input.riskScore,
    firstEventAt: new Date(Math.min(...times)),
    lastEventAt: new Date(Math.max(...times)),
    auditEventIds: events.map((event) => event.id),
    auditEventTimes: events.map((event) => event.time),
    fileEventIds: fileEvents.map((event) => event.id),
    fileEventTimes: fileEvents.map((event) => event.time),
    username: first?.username ?? null,
    sourceIp: first?.sourceIp ?? null,
    sourceIps: listDistinct(events.flatMap((event) => event.sourceIps)),
    userAgent: first?.userAgent ?? null,
    podName: firstFile?.podName ?? first?.podName ?? null,
    namespaces: listDistinct([firstFile?.namespace, ...events.map((event) => event.namespace)]),
    secretNames: listDistinct(events.filter((event) => event.resource === 'secrets').map((event) => event.name)),
    outcomes: listDistinct(events.map((event) => event.decision)),
    responseCodes: listDistinct(events.map((event) => event.responseCode)).sort((left, right) => left - right),
    cluster: firstFile?.cluster ?? first?.cluster ?? '',
    details: input.details,
  };
}
