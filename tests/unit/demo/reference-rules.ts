// A deliberately naive, test-only reading of the four upstream rules (shared/docs/detections-upstream.md),
// written without looking at how the generator builds its ground truth. Slow and obvious on purpose.
import type { AlertKey, DefendFileEvent, DetectionRuleId, K8sAuditEvent } from '../../../lib/demo/types';

export type ReferenceAlert = {
  ruleId: DetectionRuleId;
  key: AlertKey;
  auditIds: string[];
  auditEventCount: number;
  fileEventIds: string[];
  firstEventTime: string;
  lastEventTime: string;
  distinctValues: string[];
  severity: 'medium' | 'high';
};

const MINUTE = 60_000_000;
const POD_NAME = 'authentication.kubernetes.io/pod-name';
const TOKEN_PATHS = [
  '/var/run/secrets/kubernetes.io/serviceaccount/token',
  '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
];

/** Microseconds since the epoch, from an RFC 3339 timestamp with up to 6 fractional digits. */
export function toMicros(timestamp: string): number {
  const match = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(timestamp);
  if (!match) throw new Error(`bad timestamp ${timestamp}`);
  const fraction = (match[2] ?? '').padEnd(6, '0').slice(0, 6);
  return Date.parse(`${match[1]}Z`) * 1000 + Number(fraction);
}

const time = (event: K8sAuditEvent) => toMicros(event.requestReceivedTimestamp);
const podName = (event: K8sAuditEvent) => event.user.extra?.[POD_NAME]?.[0];
const unique = <T>(values: T[]) => [...new Set(values)];

function summarize(
  ruleId: DetectionRuleId,
  key: AlertKey,
  events: K8sAuditEvent[],
  values: (string | null)[] = [],
  files: DefendFileEvent[] = [],
  severity: 'medium' | 'high' = 'medium',
): ReferenceAlert {
  const sorted = [...events].sort((left, right) => time(left) - time(right));
  return {
    ruleId,
    key,
    auditIds: unique(sorted.map((event) => event.auditID)),
    // Requests, not stage rows: a request logged at two stages is one.
    auditEventCount: unique(sorted.map((event) => event.auditID)).length,
    fileEventIds: files.map((file) => file.event.id),
    firstEventTime: files[0]?.['@timestamp'] ?? sorted[0]!.requestReceivedTimestamp,
    lastEventTime: sorted.at(-1)!.requestReceivedTimestamp,
    distinctValues: unique(values.filter((value): value is string => value !== null)),
    severity,
  };
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const name = key(item);
    groups.set(name, [...(groups.get(name) ?? []), item]);
  }
  return groups;
}

/** Windows anchored on the first match, restarting at the first match after the window closes. */
function anchoredWindows(events: K8sAuditEvent[], length: number): K8sAuditEvent[][] {
  const sorted = [...events].sort((left, right) => time(left) - time(right));
  const windows: K8sAuditEvent[][] = [];
  for (const event of sorted) {
    const current = windows.at(-1);
    if (current && time(event) < time(current[0]!) + length) current.push(event);
    else windows.push([event]);
  }
  return windows;
}

// R1 — Elastic KQL, one match per event; folded per identity into 60-minute windows.
const R1_EXCLUDED_GROUPS = [
  'system:serviceaccounts:flux-system',
  'system:serviceaccounts:kyverno',
  'system:serviceaccounts:ibm-csi',
  'system:serviceaccounts:harvester-system',
  'system:serviceaccounts:cattle-system',
  'system:serviceaccounts:cattle-monitoring-system',
  'system:serviceaccounts:rabbitmq-system',
  'system:serviceaccounts:cattle-fleet-system',
];
const R1_EXCLUDED_PODS: [string, string][] = [
  ['system:serviceaccount:security:trivy-operator', 'trivy-operator-'],
  ['system:serviceaccount:cert-manager:cert-manager-cainjector', 'cert-manager-cainjector-'],
  ['system:serviceaccount:monitoring:plat-central-monitoring-pr-operator', 'plat-central-monitoring-pr-operator'],
  ['system:serviceaccount:cert-manager:cert-manager', 'cert-manager-'],
];

export function matchesR1(event: K8sAuditEvent): boolean {
  const username = event.user.username;
  const groups = event.user.groups ?? [];
  const pod = podName(event) ?? '';
  return (
    (event.verb === 'get' || event.verb === 'list') &&
    event.objectRef?.resource === 'secrets' &&
    (username.startsWith('system:serviceaccount:') || username.startsWith('system:node:')) &&
    event.sourceIPs.length > 0 &&
    !event.sourceIPs.includes('127.0.0.1') &&
    !groups.some(
      (group) =>
        R1_EXCLUDED_GROUPS.includes(group) || group.startsWith('system:serviceaccounts:cluster-fleet-local-local-'),
    ) &&
    !R1_EXCLUDED_PODS.some(([user, prefix]) => username === user && pod.startsWith(prefix))
  );
}

function evaluateR1(events: K8sAuditEvent[]): ReferenceAlert[] {
  const matches = events.filter(matchesR1);
  return [...groupBy(matches, (event) => event.user.username).entries()].flatMap(([username, group]) =>
    anchoredWindows(group, 60 * MINUTE).map((window) =>
      summarize('secret-read-by-node-or-pod-sa', { username }, window),
    ),
  );
}

// R2 — Elastic ES|QL: get on secrets, ≥ 3 distinct names per client fingerprint within 6 minutes.
export function matchesR2(event: K8sAuditEvent): boolean {
  const name = event.objectRef?.name;
  return (
    event.verb === 'get' &&
    event.objectRef?.resource === 'secrets' &&
    // A multi-valued source.ip makes to_string(source.ip) null in ES|QL, which drops the row.
    event.sourceIPs.length === 1 &&
    !['127.0.0.1', '::1'].includes(event.sourceIPs[0]!) &&
    !['system:kube-controller-manager', 'system:kube-scheduler'].includes(event.user.username) &&
    name !== undefined &&
    !name.startsWith('sh.helm.release.') &&
    ![
      'system:serviceaccount:flux-system:kustomize-controller',
      'system:serviceaccount:flux-system:helm-controller',
      'system:serviceaccount:flux-system:source-controller',
      'system:serviceaccount:security:trivy-operator',
    ].includes(event.user.username)
  );
}

function evaluateR2(events: K8sAuditEvent[]): ReferenceAlert[] {
  const matches = events.filter(matchesR2);
  const alerts: ReferenceAlert[] = [];
  const groups = groupBy(matches, (event) =>
    JSON.stringify([event.user.username, event.sourceIPs[0], event.userAgent]),
  );
  for (const group of groups.values()) {
    const sorted = [...group].sort((left, right) => time(left) - time(right));
    // Bursts: runs of gets no more than 6 minutes apart; one alert per burst that has a 6-minute
    // window holding ≥ 3 distinct names.
    const bursts: K8sAuditEvent[][] = [];
    for (const event of sorted) {
      const current = bursts.at(-1);
      if (current && time(event) - time(current.at(-1)!) <= 6 * MINUTE) current.push(event);
      else bursts.push([event]);
    }
    for (const burst of bursts) {
      const fires = burst.some((first) => {
        const names = burst
          .filter((event) => time(event) >= time(first) && time(event) <= time(first) + 6 * MINUTE)
          .map((event) => event.objectRef!.name);
        return new Set(names).size >= 3;
      });
      if (!fires) continue;
      const [head] = burst;
      const key = { username: head!.user.username, sourceIp: head!.sourceIPs[0], userAgent: head!.userAgent };
      alerts.push(
        summarize(
          'rapid-secret-get-multiple-objects',
          key,
          burst,
          burst.map((event) => event.objectRef!.name!),
          [],
          'high',
        ),
      );
    }
  }
  return alerts;
}

// R3 — Panther Kubernetes.BulkSecretAccess: ≥ 15 distinct unique() values per user, 30-minute dedup window.
export function isSystemPrincipal(username: string): boolean {
  const prefixes = [
    '.iam.gserviceaccount.com',
    'system:serviceaccount:kube-system:',
    'eks:',
    'masterclient',
    'gke-',
    'azure-',
  ];
  if (prefixes.some((prefix) => username.startsWith(prefix))) return true;
  if (username === 'masterclient' || username === 'aksService') return true;
  return username.startsWith('system:') && !username.includes('serviceaccount');
}

export function uniqueR3(event: K8sAuditEvent): string | null {
  const name = event.objectRef?.name;
  if (name) return name;
  if (event.verb === 'list' || event.verb === 'watch') {
    const namespace = event.objectRef?.namespace;
    if (namespace) return `${event.verb}:${namespace}`;
    if (event.requestURI) return `${event.verb}:${event.requestURI}`;
    return event.verb;
  }
  return null;
}

export function matchesR3(event: K8sAuditEvent): boolean {
  return (
    ['list', 'get', 'watch'].includes(event.verb) &&
    event.objectRef?.resource === 'secrets' &&
    !isSystemPrincipal(event.user.username ?? '')
  );
}

function evaluateR3(events: K8sAuditEvent[]): ReferenceAlert[] {
  const matches = events.filter(matchesR3);
  return [...groupBy(matches, (event) => event.user.username || '<UNKNOWN_USER>').entries()].flatMap(
    ([username, group]) =>
      anchoredWindows(group, 30 * MINUTE)
        .filter((window) => new Set(window.map(uniqueR3).filter((value) => value !== null)).size >= 15)
        .map((window) => {
          // Only a completed response says whether a read succeeded.
          const succeeded = window.some(
            (event) => event.responseStatus !== undefined && event.responseStatus.code < 400,
          );
          return summarize(
            'secret-enumeration-by-user',
            { username },
            window,
            window.map(uniqueR3),
            [],
            succeeded ? 'high' : 'medium',
          );
        }),
  );
}

// R4 — Elastic EQL sequence: interactive token read, then an audit response from the pod within 60 s.
export function matchesR4FileEvent(file: DefendFileEvent): boolean {
  return (
    file.host.os.type === 'linux' &&
    file.event.type.includes('change') &&
    file.event.action === 'open' &&
    TOKEN_PATHS.includes(file.file.path) &&
    file.process.interactive === true &&
    Boolean(file.container.id)
  );
}

function evaluateR4(events: K8sAuditEvent[], files: DefendFileEvent[], joinOnNamespace: boolean): ReferenceAlert[] {
  const responses = events.filter(
    (event) =>
      (event.stage === 'ResponseComplete' || event.stage === 'ResponseStarted') && podName(event) !== undefined,
  );
  const alerts: ReferenceAlert[] = [];
  for (const file of files.filter(matchesR4FileEvent)) {
    const start = toMicros(file['@timestamp']);
    const pod = file.orchestrator.resource.name;
    const namespace = file.orchestrator.namespace;
    const followers = responses.filter(
      (event) =>
        podName(event) === pod &&
        (!joinOnNamespace || event.user.username.startsWith(`system:serviceaccount:${namespace}:`)) &&
        time(event) > start &&
        time(event) - start <= 60_000_000,
    );
    if (followers.length === 0) continue;
    alerts.push(summarize('sa-token-access-then-api-request', { podName: pod, namespace }, followers, [], [file]));
  }
  return alerts;
}

/** Every alert the four rules raise over the events. `upstreamR4Join` joins R4 on the bare pod name, as upstream does. */
export function evaluateReferenceRules(
  events: K8sAuditEvent[],
  files: DefendFileEvent[],
  options: { upstreamR4Join?: boolean } = {},
): ReferenceAlert[] {
  return [
    ...evaluateR1(events),
    ...evaluateR2(events),
    ...evaluateR3(events),
    ...evaluateR4(events, files, !options.upstreamR4Join),
  ].sort((left, right) => toMicros(left.firstEventTime) - toMicros(right.firstEventTime));
}
