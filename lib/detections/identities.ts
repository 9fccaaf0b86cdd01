/** `system:serviceaccount:<ns>:<name>` → `<ns>`; anything else → null. */
export function parseServiceAccountNamespace(username: string | null): string | null {
  const match = /^system:serviceaccount:([^:]+):[^:]+$/.exec(username ?? '');
  return match?.[1] ?? null;
}
