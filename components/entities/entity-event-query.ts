import type { Entity } from '@/lib/entities/schemas';
import { formatEventsHref, type EventQueryInput } from '@/lib/events/schemas';

/** A pod's requests in the explorer: by its name, made with its namespace's service-account tokens. */
export function podRequestFilter(name: string, namespace: string | null | undefined) {
  return { pod: name, ...(namespace ? { user: `system:serviceaccount:${namespace}:*` } : {}) };
}

/** The explorer's query for an entity's audit events over a range. */
export function entityEventQuery(entity: Entity, range: { from: string; to: string }): EventQueryInput {
  const filter =
    entity.kind === 'user'
      ? { user: entity.name }
      : entity.kind === 'ip'
        ? { sourceIp: entity.ip }
        : podRequestFilter(entity.name, entity.namespace);
  return { kind: 'audit', filter, from: range.from, to: range.to };
}

/** The explorer on `query` narrowed by more field values, from its first page. */
export function narrowEventsHref(query: EventQueryInput, filter: EventQueryInput['filter']): string {
  return formatEventsHref({ ...query, cursor: undefined, filter: { ...query.filter, ...filter } });
}
