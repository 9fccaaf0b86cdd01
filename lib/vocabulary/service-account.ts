// Service-account identities, `system:serviceaccount:<namespace>:<name>`: a pod's bound token carries
// its pod's namespace there (audit events name no other). One reading, in TypeScript and in SQL.

const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';
const SERVICE_ACCOUNT = /^system:serviceaccount:([^:]+):[^:]+$/;

/** `system:serviceaccount:<namespace>:<name>` → `<namespace>`; anything else → null. */
export function serviceAccountNamespace(username: string | null | undefined): string | null {
  return SERVICE_ACCOUNT.exec(username ?? '')?.[1] ?? null;
}

export function isServiceAccount(username: string | null | undefined): boolean {
  return serviceAccountNamespace(username) !== null;
}

/** The same reading in SQL over a text expression: the namespace, or NULL. */
export function serviceAccountNamespaceSql(expression: string): string {
  return `CASE WHEN ${expression} ~ '^${SERVICE_ACCOUNT_PREFIX}[^:]+:[^:]+$' THEN split_part(${expression}, ':', 3) END`;
}
