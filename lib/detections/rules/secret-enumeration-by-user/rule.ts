import { z } from 'zod';
import { buildAlertCandidate, listDistinct } from '../../build-alert-candidate';
import { identityScope } from '../../../vocabulary/identity';
import { CONTAINER_API_CREDENTIALS } from '../../mitre';
import { sqlLiteral, startsWithAnySql } from '../../prefilter-sql';
import type { DetectionAuditEvent, RuleMetadata, WindowedRule } from '../../types';

export const metadata: RuleMetadata = {
  id: 'secret-enumeration-by-user',
  name: 'Secret enumeration by a user',
  description:
    'A single user accessed many distinct secrets with get, list or watch within 30 minutes. Severity is high when any read succeeded and medium when every read was denied.',
  severity: 'medium',
  riskScore: 47,
  mitre: [CONTAINER_API_CREDENTIALS],
  upstream: {
    source: 'Panther panther-analysis',
    reference: 'rules/kubernetes_rules/k8s_secret_enumeration.yml (Kubernetes.BulkSecretAccess)',
    version: 'daa10c88',
  },
  defaultParameters: { windowMinutes: 30, minDistinctValues: 15, personsAcrossClusters: 1 },
};

export const parametersSchema = z.strictObject({
  // Panther's minimum dedup period is 5 minutes.
  windowMinutes: z.number().int().min(5).max(1440),
  minDistinctValues: z.number().int().min(2).max(10_000),
  /** 1: a person (not a service account or node) is one user across clusters, as upstream; 0: per cluster. */
  personsAcrossClusters: z.number().int().min(0).max(1),
});

export type SecretEnumerationParameters = z.infer<typeof parametersSchema>;

const HIGH_RISK_SCORE = 73;
const SYSTEM_PRINCIPAL_PREFIXES = [
  // Upstream tests this as a prefix although GCP service-account emails end with it: kept as published.
  '.iam.gserviceaccount.com',
  'system:serviceaccount:kube-system:',
  'eks:',
  'masterclient',
  'gke-',
  'azure-',
];

const SYSTEM_PRINCIPALS = ['masterclient', 'aksService'];

/** Panther's panther_kubernetes_helpers.is_system_principal, quirks included. */
export function isSystemPrincipal(username: string): boolean {
  if (SYSTEM_PRINCIPAL_PREFIXES.some((prefix) => username.startsWith(prefix))) return true;
  if (SYSTEM_PRINCIPALS.includes(username)) return true;
  return username.startsWith('system:') && !username.includes('serviceaccount');
}

/** Not isSystemPrincipal(username ?? ''), in SQL: the controllers' and nodes' many reads stay in the database. */
const NOT_SYSTEM_PRINCIPAL_SQL = `(username IS NULL OR NOT (${startsWithAnySql('username', SYSTEM_PRINCIPAL_PREFIXES)}
  OR username IN (${SYSTEM_PRINCIPALS.map(sqlLiteral).join(', ')})
  OR (starts_with(username, 'system:') AND strpos(username, 'serviceaccount') = 0)))`;

/** Panther's unique(): the value whose distinct count is thresholded; null adds nothing (get without a name). */
export function computeEnumerationValue(event: DetectionAuditEvent): string | null {
  if (event.name) return event.name;
  if (event.verb === 'list' || event.verb === 'watch') {
    if (event.namespace) return `${event.verb}:${event.namespace}`;
    if (event.requestUri) return `${event.verb}:${event.requestUri}`;
    return event.verb;
  }
  return null;
}

export function matchesSecretEnumeration(event: DetectionAuditEvent): boolean {
  return (
    (event.verb === 'list' || event.verb === 'get' || event.verb === 'watch') &&
    event.resource === 'secrets' &&
    !isSystemPrincipal(event.username ?? '')
  );
}

/**
 * A read succeeded when its response says so (HTTP < 400). Rows without a code (stage RequestReceived,
 * before authorization) prove nothing, unlike Panther's per-event "missing code = not failed".
 */
function hasSucceededRead(events: readonly DetectionAuditEvent[]): boolean {
  return events.some((event) => event.responseCode !== null && event.responseCode < 400);
}

const MINUTE = 60_000;

export const rule: WindowedRule<SecretEnumerationParameters> = {
  ...metadata,
  kind: 'windowed',
  defaultParameters: { windowMinutes: 30, minDistinctValues: 15, personsAcrossClusters: 1 },
  parametersSchema,
  prefilter: { sql: `resource = 'secrets' AND verb IN ('get', 'list', 'watch') AND ${NOT_SYSTEM_PRINCIPAL_SQL}` },
  // Panther's rule carries no later exclusions: is_system_principal is its only filter.
  defaultAllowlist: [],
  matches: (event) => matchesSecretEnumeration(event),
  // Panther's dedup(): the user alone (events without one group together).
  groupFields: (event, params) => ({
    ...identityScope(event, params.personsAcrossClusters === 1),
    username: event.username,
  }),
  // The dedup period is anchored at a user's first match and tumbles over the whole history.
  windowing: (params) => ({ kind: 'anchored', lengthMs: params.windowMinutes * MINUTE }),
  buildAlert(groupKey, window, params) {
    const values = listDistinct(window.events.map(computeEnumerationValue));
    if (values.length < params.minDistinctValues) return null;
    const high = hasSucceededRead(window.events);
    return buildAlertCandidate({
      rule: metadata,
      groupKey,
      windowStart: window.start,
      windowEnd: window.end,
      severity: high ? 'high' : 'medium',
      riskScore: high ? HIGH_RISK_SCORE : metadata.riskScore,
      events: window.events,
      details: {
        distinctValueCount: values.length,
        distinctValues: values,
        verbs: listDistinct(window.events.map((event) => event.verb)).sort(),
        userAgents: listDistinct(window.events.map((event) => event.userAgent)),
        anyReadSucceeded: high,
        clusters: listDistinct(window.events.map((event) => event.cluster)),
      },
    });
  },
};
