// Which rows belong to an entity, as SQL: the one definition behind the entity pages, their
// REST twins and the explorer's "around this event".
import type { Entity } from './schemas';

/** Requests made by a pod: its name, and a service-account token of its namespace (audit events do not carry the pod's namespace). */
export function podAuditSql(alias: string, nameParam: string, namespaceParam: string): string {
  return `${alias}.pod_name = ${nameParam} AND starts_with(${alias}.username, 'system:serviceaccount:')
    AND split_part(${alias}.username, ':', 3) = ${namespaceParam}`;
}

export type EntitySql = {
  /** Over `audit_events e`. */
  audit: string;
  /** Over `alerts a`. */
  alerts: string;
  /** Over `file_events f`; null: the entity has no file events. */
  files: string | null;
  params: unknown[];
};

/** Parameters are $1 (and $2): callers number theirs after `params.length`. */
export function buildEntitySql(entity: Entity): EntitySql {
  switch (entity.kind) {
    case 'user':
      return { audit: 'e.username = $1', alerts: 'a.username = $1', files: null, params: [entity.name] };
    case 'ip':
      // The last hop is the address a client cannot forge; alerts also list the client-supplied ones.
      return {
        audit: 'e.source_ip = $1',
        alerts: '(a.source_ip = $1 OR $1 = ANY(a.source_ips))',
        files: null,
        params: [entity.ip],
      };
    case 'pod':
      return {
        audit: podAuditSql('e', '$1', '$2'),
        // A token names its pod's namespace; a.namespaces lists the objects' (which a pod of the
        // same name elsewhere may share), so it only stands in for an alert with no service account.
        alerts: `a.pod_name = $1 AND CASE WHEN starts_with(a.username, 'system:serviceaccount:')
          THEN split_part(a.username, ':', 3) = $2 ELSE $2 = ANY(a.namespaces) END`,
        files: 'f.pod_name = $1 AND f.namespace = $2',
        params: [entity.name, entity.namespace],
      };
  }
}
