// Prefills the false-positive form from an alert: each value as the narrowest condition that
// still covers what the alert saw, for the analyst to widen on purpose.

export type SuggestedConditions = {
  cluster: string | null;
  username: string | null;
  sourceIp: string | null;
  userAgent: string | null;
  namespaces: string[];
  /** Comma-separated globs: the alert's secret names, or their shared prefix with `*`. */
  secretNames: string | null;
  podPrefix: string | null;
};

function commonPrefix(values: string[]) {
  if (values.length === 0) return '';
  let prefix = values[0]!;
  for (const value of values) while (!value.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

/** A Deployment's pods are `<name>-<replicaset hash>-<5 chars>`, a StatefulSet's `<name>-<ordinal>`. */
export function suggestPodPrefix(pod: string): string {
  const deployment = /^(.+-)[a-z0-9]{6,10}-[a-z0-9]{5}$/.exec(pod);
  if (deployment) return deployment[1]!;
  const generated = /^(.+-)([a-z0-9]{5}|\d+)$/.exec(pod);
  return generated ? generated[1]! : pod;
}

export function suggestSecretPattern(names: string[]): string | null {
  if (names.length === 0) return null;
  if (names.length <= 5) return names.join(', ');
  const prefix = commonPrefix(names);
  return prefix.length >= 3 ? `${prefix}*` : names.join(', ');
}

export function suggestConditions(alert: {
  cluster: string | null;
  username: string | null;
  sourceIp: string | null;
  userAgent: string | null;
  namespaces: string[];
  secretNames: string[];
  podName: string | null;
}): SuggestedConditions {
  return {
    cluster: alert.cluster || null,
    username: alert.username,
    sourceIp: alert.sourceIp,
    userAgent: alert.userAgent,
    namespaces: alert.namespaces,
    secretNames: suggestSecretPattern(alert.secretNames),
    podPrefix: alert.podName ? suggestPodPrefix(alert.podName) : null,
  };
}
