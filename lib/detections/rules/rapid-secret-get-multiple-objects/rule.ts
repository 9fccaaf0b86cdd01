import { z } from 'zod';
import { buildAlertCandidate, listDistinct } from '../../build-alert-candidate';
import { CONTAINER_API_CREDENTIALS } from '../../mitre';
import { sqlLiteral } from '../../prefilter-sql';
import { identityScope } from '../../../vocabulary/identity';
import type { AlertCandidate, DetectionAuditEvent, RuleMetadata, WindowedRule } from '../../types';

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
  defaultParameters: { windowMinutes: 6, minDistinctSecrets: 3, personsAcrossClusters: 1 },
};

export const parametersSchema = z.strictObject({
  windowMinutes: z.number().int().min(1).max(240),
  minDistinctSecrets: z.number().int().min(2).max(1000),
  /** 1: a person (not a service account or node) is one fingerprint across clusters, as upstream; 0: per cluster. */
  personsAcrossClusters: z.number().int().min(0).max(1),
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

const MINUTE = 60_000;

export const rule: WindowedRule<RapidSecretGetParameters> = {
  ...metadata,
  kind: 'windowed',
  defaultParameters: { windowMinutes: 6, minDistinctSecrets: 3, personsAcrossClusters: 1 },
  parametersSchema,
  prefilter: {
    sql: `resource = 'secrets' AND verb = 'get' AND name IS NOT NULL AND username IS NOT NULL AND source_ip IS NOT NULL AND source_ip NOT IN (${[...LOOPBACK].map(sqlLiteral).join(', ')})`,
  },
  // Upstream's exclusions are all in version 2 of the rule.
  defaultAllowlist: [],
  matches: (event) => matchesRapidSecretGet(event),
  groupFields: (event, params) => ({
    ...identityScope(event, params.personsAcrossClusters === 1),
    username: event.username,
    sourceIp: event.sourceIp,
    userAgent: event.userAgent,
  }),
  windowing: (params) => ({
    kind: 'burst',
    gapMs: params.windowMinutes * MINUTE,
    minDistinct: params.minDistinctSecrets,
    // matches() keeps only named gets.
    valueOf: (event) => event.name!,
  }),
  buildAlert: (groupKey, window) => buildBurstAlert(groupKey, window.start, window.events),
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
      clusters: listDistinct(events.map((event) => event.cluster)),
    },
  });
}
