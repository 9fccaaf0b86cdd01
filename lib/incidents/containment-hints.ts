// Containment hints: kubectl commands filled from an incident's entities, for an analyst to copy. Text
// only: Vigil never runs them. Every value comes from audit logs, so each is shell-quoted and checked to
// be a plausible Kubernetes name first; a value that is not one gets no command. Pure.
import type { RbacGrant } from '../rbac/parse-authorization-reason';

export type ContainmentHint = { kind: 'pod' | 'binding' | 'service-account' | 'secret'; why: string; command: string };

/** POSIX shell single-quoting: safe for any text, including quotes, `$()`, newlines. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

// DNS subdomain-ish names plus the colons system: objects use; anything else is not a name to act on.
const KUBE_NAME = /^[a-z0-9]([a-z0-9.:_-]{0,251}[a-z0-9])?$/i;
const isName = (value: string | null | undefined): value is string => !!value && KUBE_NAME.test(value);

export type ContainmentInput = {
  cluster: string | null;
  pods: { namespace: string | null; name: string }[];
  serviceAccounts: { namespace: string; name: string }[];
  grants: RbacGrant[];
  secrets: { namespace: string | null; name: string }[];
};

export function buildContainmentHints(input: ContainmentInput): ContainmentHint[] {
  const context = isName(input.cluster) ? ` --context ${shellQuote(input.cluster)}` : '';
  const hints: ContainmentHint[] = [];
  for (const pod of input.pods) {
    if (!isName(pod.namespace) || !isName(pod.name)) continue;
    hints.push({
      kind: 'pod',
      why: `delete the pod the attack ran in (${pod.namespace}/${pod.name})`,
      command: `kubectl${context} -n ${shellQuote(pod.namespace)} delete pod ${shellQuote(pod.name)}`,
    });
  }
  const seen = new Set<string>();
  for (const grant of input.grants) {
    const key = `${grant.bindingKind}/${grant.bindingNamespace}/${grant.bindingName}`;
    if (seen.has(key) || !isName(grant.bindingName)) continue;
    seen.add(key);
    if (grant.bindingKind === 'ClusterRoleBinding')
      hints.push({
        kind: 'binding',
        why: `remove the binding that let it read (${grant.bindingName} → ${grant.roleKind} ${grant.roleName})`,
        command: `kubectl${context} delete clusterrolebinding ${shellQuote(grant.bindingName)}`,
      });
    else if (isName(grant.bindingNamespace))
      hints.push({
        kind: 'binding',
        why: `remove the binding that let it read (${grant.bindingNamespace}/${grant.bindingName} → ${grant.roleKind} ${grant.roleName})`,
        command: `kubectl${context} -n ${shellQuote(grant.bindingNamespace)} delete rolebinding ${shellQuote(grant.bindingName)}`,
      });
  }
  for (const account of input.serviceAccounts) {
    if (!isName(account.namespace) || !isName(account.name)) continue;
    const ns = shellQuote(account.namespace);
    const name = shellQuote(account.name);
    hints.push({
      kind: 'service-account',
      why: `recreate the service account ${account.namespace}/${account.name}: its tokens stop working`,
      command: `kubectl${context} -n ${ns} get serviceaccount ${name} -o yaml > sa-backup.yaml && kubectl${context} -n ${ns} delete serviceaccount ${name} && kubectl${context} -n ${ns} create serviceaccount ${name}`,
    });
  }
  for (const secret of input.secrets) {
    if (!isName(secret.namespace) || !isName(secret.name)) continue;
    hints.push({
      kind: 'secret',
      why: `rotate the secret ${secret.namespace}/${secret.name} (its values were read): issue new credentials, then replace it`,
      command: `kubectl${context} -n ${shellQuote(secret.namespace)} get secret ${shellQuote(secret.name)} -o jsonpath='{.metadata.resourceVersion}'`,
    });
  }
  return hints;
}
