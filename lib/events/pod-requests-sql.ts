import { serviceAccountNamespaceSql } from '../vocabulary/service-account';

/**
 * Requests made by a pod, over `audit_events <alias>`: its name, with a service-account token of its
 * namespace (audit events do not carry the pod's namespace). One definition for entity pages and the explorer.
 */
export function podRequestsSql(alias: string, nameParam: string, namespaceParam: string): string {
  return `${alias}.pod_name = ${nameParam} AND ${serviceAccountNamespaceSql(`${alias}.username`)} = ${namespaceParam}`;
}
