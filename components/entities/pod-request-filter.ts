/** A pod's requests in the explorer: by its name, made with its namespace's service-account tokens. */
export function podRequestFilter(name: string, namespace: string | null | undefined) {
  return { pod: name, ...(namespace ? { user: `system:serviceaccount:${namespace}:*` } : {}) };
}
