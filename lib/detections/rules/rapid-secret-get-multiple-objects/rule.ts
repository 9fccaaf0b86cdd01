import { z } from 'zod';
import { buildAlertCandidate, formatGroupKey, listDistinct, sortByTime } from '../../build-alert-candidate';
import { CONTAINER_API_CREDENTIALS } from '../../mitre';
import type { AlertCandidate, DetectionAuditEvent, PriorWindow, RuleDefinition, RuleMetadata } from '../../types';

export const metadata: RuleMetadata = {
  id: 'rapid-secret-get-multiple-objects',
  name: 'Rapid secret GETs against multiple objects',
  description:
    'One client fingerprint (user, source IP, user agent) fetched several distinct secrets by name within a few minutes: targeted harvesting of credentials, tokens or certificates.',
  severity: 'high',
  riskScore: 73,
  mitre: [CONTAINER_API_CREDENTIALS],
  upstream: {
    source: 'Elastic detection-rules',
    reference:
      'credential_access_kubernetes_multiple_secret_retrieval_burst.toml (b4c8e2a1-9f3d-4e7c-a2b1-0d5e6f7a8b9c)',
    version: '2',
  },
  defaultParameters: { windowMinutes: 6, minDistinctSecrets: 3 },
};

export const parametersSchema = z.strictObject({
  windowMinutes: z.number().int().min(1).max(240),
  minDistinctSecrets: z.number().int().min(2).max(1000),
});

export type RapidSecretGetParameters = z.infer<typeof parametersSchema>;

const LOOPBACK = new Set(['127.0.0.1', '::1']);
const EXCLUDED_USERS = new Set([
  'system:kube-controller-manager',
  'system:kube-scheduler',
  'system:serviceaccount:flux-system:kustomize-controller',
  'system:serviceaccount:flux-system:helm-controller',
  'system:serviceaccount:flux-system:source-controller',
  'system:serviceaccount:security:trivy-operator',
]);
const HELM_RELEASE_PREFIX = 'sh.helm.release.';

/**
 * Upstream drops every event with several sourceIPs (to_string of a multi-value is null in ES|QL), which
 * lets a client evade by sending X-Forwarded-For. Vigil keeps them and judges the last, unforgeable one.
 */
export function matchesRapidSecretGet(event: DetectionAuditEvent): boolean {
  if (event.verb !== 'get' || event.resource !== 'secrets') return false;
  if (event.sourceIp === null || LOOPBACK.has(event.sourceIp)) return false;
  if (event.username === null || EXCLUDED_USERS.has(event.username)) return false;
  // A null name makes upstream's `not … like` null, which drops the row.
  return event.name !== null && event.name !== '' && !event.name.startsWith(HELM_RELEASE_PREFIX);
}

function groupKeyOf(event: DetectionAuditEvent): string {
  return formatGroupKey({
    cluster: event.cluster,
    username: event.username,
    sourceIp: event.sourceIp,
    userAgent: event.userAgent,
  });
}

const MINUTE = 60_000;

/**
 * One fingerprint's events in time order → bursts. A burst opens at the first event of the earliest
 * window of `windowMs` holding ≥ threshold distinct names and stays open while each next event follows
 * the previous one within `windowMs`. Events before the opening event are not evidence.
 */
function findBursts(events: readonly DetectionAuditEvent[], windowMs: number, threshold: number) {
  const bursts: DetectionAuditEvent[][] = [];
  const times = events.map((event) => event.time.getTime());
  const counts = new Map<string, number>();
  const add = (name: string) => counts.set(name, (counts.get(name) ?? 0) + 1);
  const remove = (name: string) => {
    const left = (counts.get(name) ?? 0) - 1;
    if (left > 0) counts.set(name, left);
    else counts.delete(name);
  };
  let left = 0;
  let right = 0;
  while (left < events.length) {
    while (right < events.length && times[right]! - times[left]! <= windowMs) add(events[right++]!.name!);
    if (counts.size >= threshold) {
      let end = right - 1;
      while (end + 1 < events.length && times[end + 1]! - times[end]! <= windowMs) end++;
      bursts.push(events.slice(left, end + 1));
      left = end + 1;
      right = left;
      counts.clear();
    } else {
      remove(events[left++]!.name!);
    }
  }
  return bursts;
}

/** Events that continue a persisted burst (inside it, or within the window after its last event) join it. */
function splitByPriorWindows(
  events: readonly DetectionAuditEvent[],
  priors: readonly PriorWindow[],
  windowMs: number,
): { attached: Map<PriorWindow, DetectionAuditEvent[]>; segments: DetectionAuditEvent[][] } {
  const attached = new Map<PriorWindow, DetectionAuditEvent[]>();
  const ends = new Map(priors.map((prior) => [prior, prior.windowEnd.getTime()]));
  const segments: DetectionAuditEvent[][] = [[]];
  for (const event of events) {
    const time = event.time.getTime();
    const prior = priors.find((window) => window.windowStart.getTime() <= time && time <= ends.get(window)! + windowMs);
    if (prior) {
      attached.set(prior, [...(attached.get(prior) ?? []), event]);
      ends.set(prior, Math.max(ends.get(prior)!, time));
      if (segments.at(-1)!.length > 0) segments.push([]);
    } else segments.at(-1)!.push(event);
  }
  return { attached, segments };
}

export const rule: RuleDefinition<RapidSecretGetParameters> = {
  ...metadata,
  defaultParameters: { windowMinutes: 6, minDistinctSecrets: 3 },
  parametersSchema,
  prefilter: {
    sql: `resource = 'secrets' AND verb = 'get' AND name IS NOT NULL AND username IS NOT NULL AND source_ip IS NOT NULL`,
  },
  // Upstream's exclusions are all in version 2 of the rule.
  defaultAllowlist: [],
  matches: (event) => matchesRapidSecretGet(event),
  evaluate({ events, params, priorWindows = [] }) {
    const windowMs = params.windowMinutes * MINUTE;
    const groups = new Map<string, DetectionAuditEvent[]>();
    for (const event of sortByTime(events)) {
      const key = groupKeyOf(event);
      const group = groups.get(key);
      if (group) group.push(event);
      else groups.set(key, [event]);
    }
    const candidates: AlertCandidate[] = [];
    for (const [groupKey, group] of groups) {
      const priors = priorWindows.filter((prior) => prior.groupKey === groupKey);
      const { attached, segments } = splitByPriorWindows(group, priors, windowMs);
      for (const [prior, extra] of attached) candidates.push(buildBurstAlert(groupKey, prior.windowStart, extra));
      for (const segment of segments) {
        for (const burst of findBursts(segment, windowMs, params.minDistinctSecrets)) {
          candidates.push(buildBurstAlert(groupKey, burst[0]!.time, burst));
        }
      }
    }
    return candidates.sort((left, right) => left.windowStart.getTime() - right.windowStart.getTime());
  },
  lookbackMs: (params) => params.windowMinutes * MINUTE,
};

function buildBurstAlert(groupKey: string, windowStart: Date, events: DetectionAuditEvent[]): AlertCandidate {
  const names = listDistinct(events.map((event) => event.name));
  return buildAlertCandidate({
    rule: metadata,
    groupKey,
    windowStart,
    windowEnd: events.at(-1)!.time,
    severity: metadata.severity,
    riskScore: metadata.riskScore,
    events,
    details: {
      distinctSecretCount: names.length,
      secretNames: names,
      namespaces: listDistinct(events.map((event) => event.namespace)),
      outcomes: listDistinct(events.map((event) => event.decision)),
      deniedCount: events.filter((event) => event.decision === 'forbid').length,
      forwardedSourceIps: listDistinct(events.flatMap((event) => event.sourceIps.slice(0, -1))),
    },
  });
}
