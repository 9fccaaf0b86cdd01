import { z } from 'zod';

const name = z.string().min(1).max(512);

/** A user (or service account) name, a source IP as logged, or a pod by namespace and name. */
export const entitySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('user'), name }),
  // As logged: sourceIPs may hold anything a proxy wrote, so no address syntax is imposed.
  z.strictObject({ kind: z.literal('ip'), ip: z.string().min(1).max(64) }),
  z.strictObject({ kind: z.literal('pod'), namespace: z.string().min(1).max(253), name }),
]);
export type Entity = z.infer<typeof entitySchema>;
