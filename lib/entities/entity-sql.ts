// Which rows belong to an entity, as SQL: the one definition behind the entity pages, their
// REST twins and the explorer's "around this event".
import { podRequestsSql } from '../events/pod-requests-sql';
import { serviceAccountNamespaceSql } from '../vocabulary/service-account';
import type { Entity } from './schemas';

export type EntitySql = {
  /** Over `audit_events e`. */
  audit: string;
  /** Over `alerts a`. */
  alerts: string;
  /** Over `file_events f`; null: the entity has no file events. */
  files: string | null;
  params: unknown[];
};

/** Parameters are $1 (and $2, and the cluster's): callers number theirs after `params.length`. */
export function buildEntitySql(entity: Entity, cluster?: string): EntitySql {
  const sql = buildUnscopedEntitySql(entity);
  if (cluster === undefined) return sql;
  const at = `$${sql.params.length + 1}`;
  return {
    audit: `${sql.audit} AND e.cluster = ${at}`,
    alerts: `${sql.alerts} AND a.cluster = ${at}`,
    files: sql.files === null ? null : `${sql.files} AND f.cluster = ${at}`,
    params: [...sql.params, cluster],
  };
}

function buildUnscopedEntitySql(entity: Entity): EntitySql {
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
        audit: podRequestsSql('e', '$1', '$2'),
        // A token names its pod's namespace; a.namespaces lists the objects' (which a pod of the
        // same name elsewhere may share), so it only stands in for an alert with no service account.
        alerts: `a.pod_name = $1 AND coalesce(${serviceAccountNamespaceSql('a.username')} = $2, $2 = ANY(a.namespaces))`,
        files: 'f.pod_name = $1 AND f.namespace = $2',
        params: [entity.name, entity.namespace],
      };
  }
}
