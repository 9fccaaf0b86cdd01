import { z } from 'zod';
import { buildAlertCandidate, formatGroupKey, listDistinct } from '../../build-alert-candidate';
import { serviceAccountNamespace } from '../../../vocabulary/service-account';
import type { AlertCandidate, DetectionAuditEvent, DetectionFileEvent, RuleMetadata, SequenceRule } from '../../types';

export const metadata: RuleMetadata = {
  id: 'sa-token-access-then-api-request',
  name: 'Service account token or certificate read, then API request from the same pod',
  description:
    'An interactive process in a container opened the mounted service-account token or CA certificate, and the same pod called the Kubernetes API within 60 seconds: a hands-on-keyboard attacker using stolen workload credentials.',
  severity: 'medium',
  riskScore: 47,
  mitre: [
    {
      tactic: { id: 'TA0002', name: 'Execution' },
      technique: { id: 'T1059', name: 'Command and Scripting Interpreter' },
      subtechnique: { id: 'T1059.004', name: 'Unix Shell' },
    },
    {
      tactic: { id: 'TA0006', name: 'Credential Access' },
      technique: { id: 'T1528', name: 'Steal Application Access Token' },
    },
    {
      tactic: { id: 'TA0006', name: 'Credential Access' },
      technique: { id: 'T1552', name: 'Unsecured Credentials' },
      subtechnique: { id: 'T1552.001', name: 'Credentials In Files' },
    },
    {
      tactic: { id: 'TA0007', name: 'Discovery' },
      technique: { id: 'T1613', name: 'Container and Resource Discovery' },
    },
    {
      tactic: { id: 'TA0008', name: 'Lateral Movement' },
      technique: { id: 'T1550', name: 'Use Alternate Authentication Material' },
      subtechnique: { id: 'T1550.001', name: 'Application Access Token' },
    },
  ],
  upstream: {
    source: 'Elastic detection-rules',
    reference:
      'execution_d4c_k8s_mda_service_account_token_access_followed_by_kubernetes_api_request.toml (4bd306f9-ee89-4083-91af-e61ed5c42b9a)',
    version: '3',
  },
  defaultParameters: { maxSpanSeconds: 60, requireLinuxFileEvents: 1 },
};

export const parametersSchema = z.strictObject({
  maxSpanSeconds: z.number().int().min(1).max(3600),
  /**
   * 1: the file event must say `host.os.type: linux` and `event.category: file`, as upstream's
   * `file where host.os.type == "linux"`; 0: a file event that omits them still counts.
   */
  requireLinuxFileEvents: z.number().int().min(0).max(1),
});

export type TokenAccessThenApiParameters = z.infer<typeof parametersSchema>;

export const SERVICE_ACCOUNT_CREDENTIAL_PATHS: readonly string[] = [
  '/var/run/secrets/kubernetes.io/serviceaccount/token',
  '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
];

/** Upstream's `file where host.os.type == "linux"`; leniently, a document that omits either still counts. */
function isLinuxFileEvent(event: DetectionFileEvent, strict: boolean): boolean {
  if (strict) return event.hostOs === 'linux' && event.categories.includes('file');
  return event.hostOs === null || event.hostOs === 'linux';
}

/** The sequence's first event: an interactive process in a container opening the mounted SA credentials. */
export function matchesTokenFileAccess(event: DetectionFileEvent, params: TokenAccessThenApiParameters): boolean {
  return (
    isLinuxFileEvent(event, params.requireLinuxFileEvents === 1) &&
    event.types.includes('change') &&
    event.action === 'open' &&
    SERVICE_ACCOUNT_CREDENTIAL_PATHS.includes(event.path) &&
    event.interactive === true &&
    event.containerId !== null &&
    event.containerId !== '' &&
    event.podName !== null &&
    event.podName !== ''
  );
}

/**
 * The sequence's second event: any API response (stage ResponseStarted or ResponseComplete) to a request
 * authenticated as a pod (bound SA token). A request whose response stages have not arrived yet does not count.
 */
export function matchesPodApiResponse(event: DetectionAuditEvent): boolean {
  return (event.startedAt !== null || event.completedAt !== null) && event.podName !== null && event.podName !== '';
}

/**
 * Upstream joins on the bare pod name, so a same-named pod in another namespace completes the sequence.
 * The audit side's namespace is its service account's (from the username), never objectRef's.
 */
function isSamePod(file: DetectionFileEvent, audit: DetectionAuditEvent): boolean {
  if (audit.podName !== file.podName) return false;
  const auditNamespace = serviceAccountNamespace(audit.username);
  return file.namespace === null || auditNamespace === null || auditNamespace === file.namespace;
}

export const rule: SequenceRule<TokenAccessThenApiParameters> = {
  ...metadata,
  kind: 'sequence',
  defaultParameters: { maxSpanSeconds: 60, requireLinuxFileEvents: 1 },
  parametersSchema,
  prefilter: { sql: `(started_at IS NOT NULL OR completed_at IS NOT NULL) AND pod_name IS NOT NULL` },
  filePrefilter: {
    sql: `action = 'open' AND 'change' = ANY(types) AND path IN ('/var/run/secrets/kubernetes.io/serviceaccount/token', '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt') AND interactive IS TRUE AND container_id IS NOT NULL AND pod_name IS NOT NULL`,
  },
  defaultAllowlist: [],
  matches: (event) => matchesPodApiResponse(event),
  matchesFileEvent: (event, params) => matchesTokenFileAccess(event, params),
  spanMs: (params) => params.maxSpanSeconds * 1000,
  evaluate({ events, fileEvents, params }) {
    const spanMs = params.maxSpanSeconds * 1000;
    const byPod = new Map<string, DetectionAuditEvent[]>();
    for (const event of events) {
      const list = byPod.get(event.podName!);
      if (list) list.push(event);
      else byPod.set(event.podName!, [event]);
    }
    const candidates: AlertCandidate[] = [];
    for (const file of fileEvents) {
      const start = file.time.getTime();
      // Timestamps are kept to the millisecond, so a request in the same millisecond counts as following.
      const followers = (byPod.get(file.podName!) ?? []).filter((audit) => {
        const time = audit.time.getTime();
        return time >= start && time - start <= spanMs && isSamePod(file, audit);
      });
      if (followers.length === 0) continue;
      candidates.push(
        buildAlertCandidate({
          rule: metadata,
          groupKey: formatGroupKey({
            cluster: file.cluster,
            namespace: file.namespace,
            podName: file.podName,
            fileEventId: file.id,
          }),
          windowStart: file.time,
          windowEnd: new Date(start + spanMs),
          severity: metadata.severity,
          riskScore: metadata.riskScore,
          events: followers,
          fileEvents: [file],
          details: {
            path: file.path,
            processName: file.processName,
            containerId: file.containerId,
            podNamespace: file.namespace,
            serviceAccounts: listDistinct(followers.map((audit) => audit.username)),
            requests: listDistinct(
              followers.map((audit) =>
                [audit.verb, audit.resource, audit.subresource].filter((part) => part !== null).join(' '),
              ),
            ),
            secondsToFirstRequest: (followers[0]!.time.getTime() - start) / 1000,
          },
        }),
      );
    }
    return candidates;
  },
};
