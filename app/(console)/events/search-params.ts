import type { EventQuery, EventQueryInput } from '@/lib/events/schemas';

/** The query as links and forms take it: times normalized to UTC ISO, cursor as text. */
export function toInput(query: EventQuery): EventQueryInput & { kind: EventQuery['kind'] } {
  const iso = (time?: string) => (time ? new Date(time).toISOString() : undefined);
  return {
    kind: query.kind,
    filter: query.filter,
    from: iso(query.from),
    to: iso(query.to),
    order: query.order,
    pageSize: query.pageSize,
  };
}
