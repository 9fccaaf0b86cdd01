// The RBAC reason parser against the shapes kube-apiserver writes (EKS, GKE, kind, AKS) and hostile text.
import { describe, expect, it } from 'vitest';
import {
  describeGrant,
  describeSubject,
  parseAuthorizationReason,
  reasonFieldsOf,
} from '../../../lib/rbac/parse-authorization-reason';
import { describeEventGrant } from '../../../lib/rbac/describe-event-grant';

const grantOf = (reason: string) => {
  const parsed = parseAuthorizationReason(reason);
  if (parsed.kind !== 'rbac') throw new Error(`not parsed: ${JSON.stringify(reason)}`);
  return parsed.grant;
};

describe('parseAuthorizationReason', () => {
  it('reads a ClusterRoleBinding to a service account (name/namespace)', () => {
    expect(
      grantOf(
        'RBAC: allowed by ClusterRoleBinding "system:coredns" of ClusterRole "system:coredns" to ServiceAccount "coredns/kube-system"',
      ),
    ).toEqual({
      bindingKind: 'ClusterRoleBinding',
      bindingName: 'system:coredns',
      bindingNamespace: null,
      roleKind: 'ClusterRole',
      roleName: 'system:coredns',
      subjectKind: 'ServiceAccount',
      subjectName: 'coredns',
      subjectNamespace: 'kube-system',
    });
  });

  it('reads a RoleBinding (name/namespace) of a Role to a user', () => {
    const grant = grantOf(
      'RBAC: allowed by RoleBinding "eks:addon-manager/kube-system" of Role "eks:addon-manager" to User "eks:addon-manager"',
    );
    expect(grant).toMatchObject({
      bindingKind: 'RoleBinding',
      bindingName: 'eks:addon-manager',
      bindingNamespace: 'kube-system',
      roleKind: 'Role',
      roleName: 'eks:addon-manager',
      subjectKind: 'User',
      subjectName: 'eks:addon-manager',
      subjectNamespace: null,
    });
    expect(describeGrant(grant)).toBe('RoleBinding kube-system/eks:addon-manager → Role eks:addon-manager');
  });

  it('reads a RoleBinding of a ClusterRole, and a Group subject', () => {
    expect(
      grantOf('RBAC: allowed by RoleBinding "ci-read/payments" of ClusterRole "view" to Group "ci:readers"'),
    ).toMatchObject({ bindingNamespace: 'payments', roleKind: 'ClusterRole', subjectKind: 'Group' });
    const grant = grantOf(
      'RBAC: allowed by ClusterRoleBinding "system:public-info-viewer" of ClusterRole "system:public-info-viewer" to Group "system:unauthenticated"',
    );
    expect(grant.subjectName).toBe('system:unauthenticated');
    expect(describeGrant(grant)).toBe(
      'ClusterRoleBinding system:public-info-viewer → ClusterRole system:public-info-viewer',
    );
  });

  it('names a service-account subject the way its username does', () => {
    const grant = grantOf(
      'RBAC: allowed by RoleBinding "debug-secrets/payments" of Role "secret-reader" to ServiceAccount "debug/payments"',
    );
    expect(describeSubject(grant)).toBe('system:serviceaccount:payments:debug');
  });

  it('decodes Go escapes in a user name (any character is allowed there)', () => {
    expect(
      grantOf('RBAC: allowed by ClusterRoleBinding "b" of ClusterRole "r" to User "eve \\"admin\\" \\u00e9\\x41"')
        .subjectName,
    ).toBe('eve "admin" éA');
  });

  it('has nothing to say about an empty or missing reason', () => {
    expect(parseAuthorizationReason('')).toEqual({ kind: 'none' });
    expect(parseAuthorizationReason('   ')).toEqual({ kind: 'none' });
    expect(parseAuthorizationReason(null)).toEqual({ kind: 'none' });
    expect(reasonFieldsOf(undefined).reasonParsed).toBeNull();
  });

  const unparsed = [
    'RBAC: allowed by ClusterRoleBinding system:public-info-viewer',
    'RBAC: allowed by ClusterRoleBinding',
    'RBAC: allowed by RoleBinding "checkout-secrets/payments" of Role "secret-reader"',
    'access granted by IAM permissions.',
    'allowed by webhook',
    // a RoleBinding without its namespace, a ClusterRoleBinding with one
    'RBAC: allowed by RoleBinding "b" of Role "r" to User "u"',
    'RBAC: allowed by ClusterRoleBinding "b/ns" of ClusterRole "r" to User "u"',
    // a ClusterRoleBinding cannot grant a Role
    'RBAC: allowed by ClusterRoleBinding "b" of Role "r" to User "u"',
    // a second grant smuggled after the first
    'RBAC: allowed by ClusterRoleBinding "b" of ClusterRole "r" to User "u" to Group "system:masters"',
    'RBAC: allowed by ClusterRoleBinding "b" of ClusterRole "r" to User "u"\n',
    // unterminated, bad escapes, unknown kinds, slashes and spaces in object names
    'RBAC: allowed by ClusterRoleBinding "b of ClusterRole "r" to User "u"',
    'RBAC: allowed by ClusterRoleBinding "b" of ClusterRole "r" to User "u\\q"',
    'RBAC: allowed by ClusterRoleBinding "b" of ClusterRole "r" to User "u\\u12"',
    'RBAC: allowed by ClusterRoleBinding "b" of ClusterRole "r" to Robot "u"',
    'RBAC: allowed by ClusterRoleBinding "a/b/c" of ClusterRole "r" to User "u"',
    'RBAC: allowed by ClusterRoleBinding "b" of ClusterRole "r r" to User "u"',
    'RBAC: allowed by ClusterRoleBinding "b" of ClusterRole "r" to ServiceAccount "sa"',
    'RBAC: allowed by ClusterRoleBinding "b" of ClusterRole "r" to ServiceAccount "sa/ns/x"',
    'RBAC: allowed by ClusterRoleBinding "" of ClusterRole "r" to User "u"',
    // control characters in a name, written raw or escaped
    'RBAC: allowed by ClusterRoleBinding "b" of ClusterRole "r" to User "u\\nFAKE LOG LINE"',
    'RBAC: allowed by ClusterRoleBinding "b" of ClusterRole "r" to User "\u001b[31mred"',
    'rbac: allowed by ClusterRoleBinding "b" of ClusterRole "r" to User "u"',
    `RBAC: allowed by ClusterRoleBinding "b" of ClusterRole "r" to User "${'x'.repeat(5000)}"`,
    '<script>alert(1)</script>',
  ];
  it.each(unparsed)('keeps %j verbatim as unparsed', (reason) => {
    expect(parseAuthorizationReason(reason)).toEqual({ kind: 'unparsed', text: reason });
    expect(reasonFieldsOf(reason)).toMatchObject({ reasonParsed: false, rbacBindingName: null });
  });

  it('gives the ingest its columns', () => {
    expect(
      reasonFieldsOf(
        'RBAC: allowed by ClusterRoleBinding "system:controller:replicaset-controller" of ClusterRole "system:controller:replicaset-controller" to ServiceAccount "replicaset-controller/kube-system"',
      ),
    ).toEqual({
      rbacBindingKind: 'ClusterRoleBinding',
      rbacBindingName: 'system:controller:replicaset-controller',
      rbacBindingNamespace: null,
      rbacRoleKind: 'ClusterRole',
      rbacRoleName: 'system:controller:replicaset-controller',
      rbacSubjectKind: 'ServiceAccount',
      rbacSubjectName: 'replicaset-controller',
      rbacSubjectNamespace: 'kube-system',
      reasonParsed: true,
    });
  });
});

describe('describeEventGrant', () => {
  it('says which binding allowed a stored request, and nothing for an unparsed reason', () => {
    const fields = reasonFieldsOf(
      'RBAC: allowed by RoleBinding "debug-secrets/payments" of Role "secret-reader" to ServiceAccount "debug/payments"',
    );
    expect(describeEventGrant(fields)).toBe('allowed via RoleBinding payments/debug-secrets → Role secret-reader');
    expect(describeEventGrant(reasonFieldsOf('allowed by webhook'))).toBeNull();
  });
});
