// Normal activity that touches secrets or the token, scheduled in time (its volume grows with the
// span, not with `events`) and shaped to stay below every rule's threshold.

import { buildLeaseRequest, buildWatchQuery, computeResourceVersion, type RequestSpec } from './audit-events';
import { getPod, type Actor, type Human, type Pod } from './cluster-model';
import {
  addFileEvent,
  runInteractiveCommand,
  SA_TOKEN_DIR,
  SA_TOKEN_PATH,
  TROUBLESHOOTING_COMMANDS,
  type ProcessSpec,
} from './file-events';
import { openShell, type PlanContext } from './plan-context';
import type { Random } from './random';
import { MINUTE, SECOND } from './time';

/** The secrets people look at, by namespace. */
const HUMAN_SECRETS: Record<string, string[]> = {
  web: ['frontend-tls', 'frontend-db-credentials', 'frontend-session-key'],
  shop: ['checkout-db', 'checkout-stripe-webhook'],
  default: ['registry-credentials'],
  payments: ['payments-db-credentials', 'stripe-api-key'],
  'cert-manager': ['letsencrypt-prod-account-key'],
};

/** [namespace, TLS secret] of the certificates cert-manager renews. */
const CERTIFICATES: [string, string][] = [
  ['web', 'frontend-tls'],
  ['shop', 'checkout-tls'],
  ['ingress-nginx', 'wildcard-example-com-tls'],
  ['payments', 'payments-api-tls'],
];

/** Pods whose application re-reads its own service-account token. */
const TOKEN_READERS = [
  'frontend',
  'frontend-2',
  'orders-worker',
  'payments-api@payments',
  'payments-api@payments-staging',
  'cert-manager',
  'ingress-nginx-controller',
];

/** Calls `visit` at times from `from` with gaps drawn from [minGap, maxGap], until `until`. */
function repeatEvery(
  rng: Random,
  from: number,
  until: number,
  minGap: number,
  maxGap: number,
  visit: (time: number) => void,
) {
  for (let time = from + rng.int(0, maxGap); time < until; time += rng.int(minGap, maxGap)) visit(time);
}

/** The payments-api pods' own periodic API calls: read their feature flags, renew their leader lease. */
export function buildPaymentsApiCall(pod: Pod, call: 'read-flags' | 'renew-lease'): RequestSpec {
  return call === 'read-flags'
    ? { actor: pod.actor, verb: 'get', resource: 'configmaps', namespace: pod.namespace, name: 'payments-flags' }
    : buildLeaseRequest(pod.actor, pod.namespace, 'payments-api-leader');
}

/** `helm upgrade` of the person's release: reads the current release secret, writes the next. */
function addHelmUpgrade(context: PlanContext, human: Human, versions: Record<string, number>, step: () => number) {
  const { rng, timeline } = context;
  const { name: release, namespace } = human.release!;
  const version = (versions[release] ??= rng.int(3, 12));
  versions[release] = version + 1;
  const actor = human.helm;
  const releaseSecret = (revision: number) => `sh.helm.release.v1.${release}.v${revision}`;
  const requests: RequestSpec[] = [
    {
      actor,
      verb: 'list',
      resource: 'secrets',
      namespace,
      query: `labelSelector=name%3D${release}%2Cowner%3Dhelm%2Cstatus%3Ddeployed`,
    },
    { actor, verb: 'get', resource: 'secrets', namespace, name: releaseSecret(version) },
    { actor, verb: 'get', resource: 'deployments', group: 'apps', namespace, name: release },
    { actor, verb: 'patch', resource: 'deployments', group: 'apps', namespace, name: release },
    { actor, verb: 'create', resource: 'secrets', namespace, name: releaseSecret(version + 1) },
    { actor, verb: 'update', resource: 'secrets', namespace, name: releaseSecret(version) },
    { actor, verb: 'update', resource: 'secrets', namespace, name: releaseSecret(version + 1) },
  ];
  for (const request of requests) timeline.add(request, step());
}

/** One session: list pods, then look up a secret with kubectl, upgrade a release, or peek at kube-system. */
function addHumanSession(
  context: PlanContext,
  human: Human,
  namespaces: string[],
  session: number,
  releaseVersions: Record<string, number>,
) {
  const { cluster, rng, timeline, end } = context;
  const actor = human.actor;
  const namespace = rng.pick(namespaces);
  const kind = rng.pickWeighted(['kubectl', 'helm', 'peek'], [5, human.release ? 3 : 0, 2]);
  let time = session;
  const step = () => (time += rng.int(2 * SECOND, 40 * SECOND));
  timeline.add({ actor, verb: 'list', resource: 'pods', namespace, query: 'limit=500' }, step());
  if (kind === 'kubectl') {
    const names = HUMAN_SECRETS[namespace] ?? ['registry-credentials'];
    timeline.add({ actor, verb: 'list', resource: 'secrets', namespace, query: 'limit=500' }, step());
    const name = rng.pick(names);
    timeline.add({ actor, verb: 'get', resource: 'secrets', namespace, name }, step());
    if (rng.chance(0.4)) timeline.add({ actor, verb: 'get', resource: 'secrets', namespace, name }, step());
  } else if (kind === 'helm' && human.release) {
    addHelmUpgrade(context, human, releaseVersions, step);
  } else {
    const code = human === cluster.humans.bob ? 403 : 200;
    timeline.add(
      { actor, verb: 'list', resource: 'secrets', namespace: 'kube-system', query: 'limit=500', code },
      step(),
    );
  }
  if (time >= end) throw new Error('session overran the span');
}

/**
 * Each human's secret-touching sessions start ≥ 45 minutes apart, last ≤ 6 minutes and touch ≤ 2
 * distinct secret values (one name fetched with get), so no 30-minute window reaches R3's 15 and no
 * 6-minute window reaches R2's 3, even with the planted burst on bob's account added.
 */
function scheduleHumanSessions(context: PlanContext) {
  const { cluster, rng, start, end } = context;
  const releaseVersions: Record<string, number> = {};
  for (const human of Object.values(cluster.humans)) {
    const namespaces = human.allowedNamespaces[0] === '*' ? Object.keys(HUMAN_SECRETS) : human.allowedNamespaces;
    repeatEvery(rng, start + 5 * MINUTE, end - 10 * MINUTE, 45 * MINUTE, 90 * MINUTE, (session) =>
      addHumanSession(context, human, namespaces, session, releaseVersions),
    );
  }
}

/** Interactive shells opened by people, reading ordinary files (never the token). */
function scheduleExecSessions(context: PlanContext) {
  const { cluster, rng, start, end, fileContext } = context;
  const targets = ['frontend', 'frontend-2', 'orders-worker', 'checkout'].map((key) => getPod(cluster, key));
  for (const human of [cluster.humans.alice, cluster.humans.oncall]) {
    repeatEvery(rng, start + 10 * MINUTE, end - 15 * MINUTE, 70 * MINUTE, 150 * MINUTE, (time) => {
      const pod = rng.pick(targets);
      const session = rng.int(2, 8) * MINUTE;
      const shellPid = openShell(context, human.actor, pod, time, session);
      let millis = Math.floor(time / 1000) + rng.int(3000, 9000);
      const commands = rng.int(2, 5);
      for (let index = 0; index < commands; index++) {
        runInteractiveCommand(fileContext, pod, millis, shellPid, rng.pick(TROUBLESHOOTING_COMMANDS));
        millis += rng.int(4000, 50_000);
      }
    });
  }
}

/** cert-manager, its CA injector and ingress-nginx keep cluster-wide watches on secrets, restarted every few minutes. */
function scheduleSecretWatches(context: PlanContext) {
  const { cluster, rng, timeline, start, end } = context;
  const watchers: [Actor, string][] = [
    [getPod(cluster, 'cert-manager').actor, '&labelSelector=controller.cert-manager.io%2Ffao%3Dtrue'],
    [getPod(cluster, 'cert-manager-cainjector').actor, ''],
    [getPod(cluster, 'ingress-nginx-controller').actor, ''],
  ];
  for (const [actor, selector] of watchers) {
    repeatEvery(rng, start, end - MINUTE, 5 * MINUTE, 10 * MINUTE, (time) => {
      const query = buildWatchQuery(rng, computeResourceVersion(start, time), selector);
      timeline.add({ actor, verb: 'watch', resource: 'secrets', query, duration: 5 * MINUTE }, time);
    });
  }
}

function scheduleCertificateRenewals(context: PlanContext) {
  const { cluster, rng, timeline, start, end } = context;
  const actor = getPod(cluster, 'cert-manager').actor;
  repeatEvery(rng, start + 5 * MINUTE, end - 5 * MINUTE, 50 * MINUTE, 70 * MINUTE, (time) => {
    const [namespace, name] = rng.pick(CERTIFICATES);
    timeline.add({ actor, verb: 'get', resource: 'secrets', namespace, name }, time);
    timeline.add({ actor, verb: 'update', resource: 'secrets', namespace, name }, time + 2 * SECOND);
    timeline.add(
      {
        actor,
        verb: 'patch',
        resource: 'certificates',
        group: 'cert-manager.io',
        subresource: 'status',
        namespace,
        name: name.replace(/-tls$/, ''),
      },
      time + 3 * SECOND,
    );
  });
}

/** Flux reconciles: the Git credentials, the SOPS key and the podinfo Helm release. */
function scheduleFluxSecretReads(context: PlanContext) {
  const { cluster, rng, timeline, start, end } = context;
  const source = getPod(cluster, 'source-controller').actor;
  const kustomize = getPod(cluster, 'kustomize-controller').actor;
  const helm = getPod(cluster, 'helm-controller').actor;
  repeatEvery(rng, start, end - MINUTE, 12 * MINUTE, 18 * MINUTE, (time) => {
    timeline.add(
      { actor: source, verb: 'get', resource: 'secrets', namespace: 'flux-system', name: 'flux-system' },
      time,
    );
    timeline.add(
      { actor: kustomize, verb: 'get', resource: 'secrets', namespace: 'flux-system', name: 'sops-age' },
      time + rng.int(5, 30) * SECOND,
    );
    const helmTime = time + rng.int(5, 40) * SECOND;
    timeline.add(
      {
        actor: helm,
        verb: 'list',
        resource: 'secrets',
        namespace: 'podinfo',
        query: 'labelSelector=name%3Dpodinfo%2Cowner%3Dhelm',
      },
      helmTime,
    );
    timeline.add(
      { actor: helm, verb: 'get', resource: 'secrets', namespace: 'podinfo', name: 'sh.helm.release.v1.podinfo.v4' },
      helmTime + 200_000,
    );
  });
}

/** The payments-api pods (both namespaces) call the API themselves; kept out of the R4 windows. */
function scheduleAppApiCalls(context: PlanContext) {
  const { cluster, rng, timeline, start, end } = context;
  for (const key of ['payments-api@payments', 'payments-api@payments-staging']) {
    const pod = getPod(cluster, key);
    repeatEvery(rng, start, end - MINUTE, 8 * MINUTE, 15 * MINUTE, (time) => {
      if (context.quietWindows.some(([from, until]) => time >= from && time <= until)) return;
      timeline.add(buildPaymentsApiCall(pod, rng.chance(0.6) ? 'read-flags' : 'renew-lease'), time);
    });
  }
}

/** Applications re-reading their own token (client-go does so periodically): non-interactive. */
function scheduleTokenReloads(context: PlanContext) {
  const { cluster, rng, start, end, fileContext } = context;
  for (const key of TOKEN_READERS) {
    const pod = getPod(cluster, key);
    const process: ProcessSpec = {
      name: pod.processName,
      executable: pod.executable,
      args: pod.args,
      interactive: false,
      pid: 1,
      user: { id: 65532, name: 'nonroot' },
    };
    addFileEvent(fileContext, pod, Math.floor(start / 1000) + rng.int(1000, 60_000), process, `${SA_TOKEN_DIR}/ca.crt`);
    repeatEvery(rng, start, end - SECOND, 4 * MINUTE, 6 * MINUTE, (time) => {
      addFileEvent(fileContext, pod, Math.floor(time / 1000), process, SA_TOKEN_PATH);
    });
  }
}

/**
 * Controllers that touch secrets from pod addresses. R1 is excluded for them (cert-manager pod-scoped
 * exclusion, flux groups, watch verbs); R2 sees at most one name per 6 minutes; R3 counts their watch
 * restarts (distinct URIs), which stay ≤ 7 per 30 minutes.
 */
function scheduleControllerSecretAccess(context: PlanContext) {
  scheduleSecretWatches(context);
  scheduleCertificateRenewals(context);
  scheduleFluxSecretReads(context);
}

/** Schedules the background, in a fixed order: each part draws from the plan's random stream. */
export function scheduleBackground(context: PlanContext) {
  scheduleHumanSessions(context);
  scheduleExecSessions(context);
  scheduleControllerSecretAccess(context);
  scheduleAppApiCalls(context);
  scheduleTokenReloads(context);
}
