import { z } from 'zod';
import { filterText, MAX_FILTER_LENGTH } from '../search-params';

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
