// Who an identity is across clusters. A person (any user that is neither a service account nor a
// node) is one identity in every cluster, as upstream rules key on the user alone; service accounts
// and nodes are per cluster (`system:serviceaccount:default:default` exists in every cluster).

const CLUSTER_SCOPED_PREFIXES = ['system:serviceaccount:', 'system:node:'];

/** Users of the same name in two clusters are one person; an unknown user is not. */
export function isPerson(username: string | null | undefined): boolean {
  return !!username && !CLUSTER_SCOPED_PREFIXES.some((prefix) => username.startsWith(prefix));
}

/** The grouping fields that place a user: the cluster unless it is a person merged across clusters. */
export function identityScope(
  event: { cluster: string; username: string | null },
  personsAcrossClusters: boolean,
): { cluster?: string } {
  return personsAcrossClusters && isPerson(event.username) ? {} : { cluster: event.cluster };
}
