// "allowed via ClusterRoleBinding x → ClusterRole y" for a stored request: plain text, client-safe.
type StoredGrant = {
  reasonParsed: boolean | null;
  rbacBindingKind: string | null;
  rbacBindingName: string | null;
  rbacBindingNamespace: string | null;
  rbacRoleKind: string | null;
  rbacRoleName: string | null;
};

export function describeEventGrant(event: StoredGrant): string | null {
  if (!event.reasonParsed || !event.rbacBindingKind || !event.rbacBindingName) return null;
  const binding = event.rbacBindingNamespace
    ? `${event.rbacBindingNamespace}/${event.rbacBindingName}`
    : event.rbacBindingName;
  return `allowed via ${event.rbacBindingKind} ${binding} → ${event.rbacRoleKind} ${event.rbacRoleName}`;
}
