import { z } from 'zod';
import { filterText, MAX_FILTER_LENGTH, readOne, readUtcTime, type SearchParams } from '../search-params';
import { timeRangeSchema } from '../time-range';

// Names as logged, spaces and all.
const name = filterText(MAX_FILTER_LENGTH, { trim: false });

/** A user (or service account) name, a source IP as logged, or a pod by namespace and name. */
export const entitySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('user'), name }),
  // As logged: sourceIPs may hold anything a proxy wrote, so no address syntax is imposed.
  z.strictObject({ kind: z.literal('ip'), ip: filterText(64, { trim: false }) }),
  z.strictObject({ kind: z.literal('pod'), namespace: filterText(253, { trim: false }), name }),
]);
export type Entity = z.infer<typeof entitySchema>;

/** An entity page's view: its time range and, for an entity seen in several clusters, one of them. */
export const entityViewSchema = z.intersection(timeRangeSchema, z.object({ cluster: filterText(253).optional() }));
export type EntityView = z.infer<typeof entityViewSchema>;

/** `?from=…&to=…&cluster=…` */
export function parseEntityViewParams(params: SearchParams) {
  return entityViewSchema.safeParse({
    from: readUtcTime(readOne(params, 'from')),
    to: readUtcTime(readOne(params, 'to')),
    cluster: readOne(params, 'cluster'),
  });
}
