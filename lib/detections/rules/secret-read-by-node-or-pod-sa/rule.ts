import { z } from 'zod';
import { buildAlertCandidate, listDistinct } from '../../build-alert-candidate';
import { CONTAINER_API_CREDENTIALS } from '../../mitre';
import { serviceAccountNamespace } from '../../../vocabulary/service-account';
import { sqlLiteral } from '../../prefilter-sql';
import type { DetectionAuditEvent, RuleMetadata, WindowedRule } from '../../types';

export const metadata: RuleMetadata = {
  id: 'secret-read-by-node-or-pod-sa',
  name: 'Secret get or list from node or pod service account',
  description:
    'A node identity (system:node:*) or a pod service account (system:serviceaccount:*) read or listed secrets from a non-loopback address. Workload credentials reading secrets is a common first step after a pod or node is compromised.',
  severity: 'medium',
  riskScore: 47,
  mitre: [CONTAINER_API_CREDENTIALS],
  upstream: {
    source: 'Elastic detection-rules',
    reference:
      'credential_access_kubernetes_secret_read_by_node_or_pod_service_account.toml (f8a31c62-0d4e-4b9a-b7e1-6c2a9d4e8f10)',
    version: '3',
  },
  defaultParameters: { suppressionWindowMinutes: 60 },
};

export const parametersSchema = z.strictObject({
  suppressionWindowMinutes: z.number().int().min(1).max(1440),
});

export type SecretReadByNodeOrPodSaParameters = z.infer<typeof parametersSchema>;

const LOOPBACK = '127.0.0.1';
const EXCLUDED_GROUPS = new Set([
  'system:serviceaccounts:flux-system',
  'system:serviceaccounts:kyverno',
  'system:serviceaccounts:ibm-csi',
  'system:serviceaccounts:harvester-system',
  'system:serviceaccounts:cattle-system',
  'system:serviceaccounts:cattle-monitoring-system',
  'system:serviceaccounts:rabbitmq-system',
  'system:serviceaccounts:cattle-fleet-system',
]);
const EXCLUDED_GROUP_PREFIX = 'system:serviceaccounts:cluster-fleet-local-local-';

/** (service account, pod-name prefix): upstream's KQL `name-*` wildcards are prefixes. */
const EXCLUDED_SERVICE_ACCOUNT_PODS: readonly (readonly [string, string])[] = [
  ['system:serviceaccount:security:trivy-operator', 'trivy-operator-'],
  ['system:serviceaccount:cert-manager:cert-manager-cainjector', 'cert-manager-cainjector-'],
  ['system:serviceaccount:monitoring:plat-central-monitoring-pr-operator', 'plat-central-monitoring-pr-operator'],
  ['system:serviceaccount:cert-manager:cert-manager', 'cert-manager-'],
];

export function matchesSecretReadByNodeOrPodSa(event: DetectionAuditEvent): boolean {
  const username = event.username ?? '';
  if (event.verb !== 'get' && event.verb !== 'list') return false;
  if (event.resource !== 'secrets') return false;
  if (!username.startsWith('system:serviceaccount:') && !username.startsWith('system:node:')) return false;
  // KQL over multi-valued source.ip: `not "127.0.0.1"` drops the event when any value is loopback.
  if (event.sourceIps.length === 0 || event.sourceIps.includes(LOOPBACK)) return false;
  if (event.groups.some((group) => EXCLUDED_GROUPS.has(group) || group.startsWith(EXCLUDED_GROUP_PREFIX))) return false;
  const podName = event.podName;
  return !EXCLUDED_SERVICE_ACCOUNT_PODS.some(
    ([serviceAccount, podPrefix]) => username === serviceAccount && podName !== null && podName.startsWith(podPrefix),
  );
}

const MINUTE = 60_000;

/** A service account reading outside its own namespace (or cluster-wide) is the stronger signal. */
function isCrossNamespace(events: readonly DetectionAuditEvent[]): boolean {
  const home = serviceAccountNamespace(events[0]?.username ?? null);
  return home !== null && events.some((event) => event.namespace !== home);
}

export const rule: WindowedRule<SecretReadByNodeOrPodSaParameters> = {
  ...metadata,
  kind: 'windowed',
  defaultParameters: { suppressionWindowMinutes: 60 },
  parametersSchema,
  prefilter: {
    // Most secret reads by service accounts are the control plane's own, over loopback: left in the database.
    sql: `resource = 'secrets' AND verb IN ('get', 'list') AND (username LIKE 'system:serviceaccount:%' OR username LIKE 'system:node:%') AND cardinality(source_ips) > 0 AND array_position(source_ips, ${sqlLiteral(LOOPBACK)}) IS NULL`,
  },
  // Every upstream exclusion is in rule version 3 itself; nothing came later.
  defaultAllowlist: [],
  matches: (event) => matchesSecretReadByNodeOrPodSa(event),
  // Service accounts and nodes are per cluster: the same name in two clusters is two identities.
  groupFields: (event) => ({ cluster: event.cluster, username: event.username, sourceIp: event.sourceIp }),
  windowing: (params) => ({ kind: 'anchored', lengthMs: params.suppressionWindowMinutes * MINUTE }),
  buildAlert: (groupKey, window) =>
    buildAlertCandidate({
      rule: metadata,
      groupKey,
      windowStart: window.start,
      windowEnd: window.end,
      severity: metadata.severity,
      riskScore: metadata.riskScore,
      events: window.events,
      details: {
        eventCount: window.events.length,
        verbs: listDistinct(window.events.map((event) => event.verb)).sort(),
        secretsTouched: listDistinct(window.events.map((event) => event.name ?? `list:${event.namespace ?? '*'}`)),
        nodeIdentity: window.events[0]?.username?.startsWith('system:node:') ?? false,
        crossNamespace: isCrossNamespace(window.events),
      },
    }),
};
