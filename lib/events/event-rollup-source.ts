// Which explorer filters a rollup table answers exactly, so the histogram, the count and the page
// bound can read whole hours from it instead of walking every matching row.
import type { EventQuery } from './schemas';

export type RollupSource = { table: 'entity_rollups' | 'cluster_rollups'; where: string };

// The filters a rollup table answers exactly: per cluster by resource and outcome; per entity (a user,
// source IP or node) by verb, resource and outcome too.
const CLUSTER_FILTERS = new Set(['cluster', 'resource', 'outcome']);
const ENTITY_FILTERS = new Set(['cluster', 'verb', 'resource', 'outcome']);
const ENTITY_KINDS: Record<string, string> = { user: 'user', sourceIp: 'ip', node: 'node' };

/** The rollup table and conditions that answer the filter's whole hours, or null when none can. */
export function buildRollupSource(
  filter: EventQuery['filter'],
  param: (value: unknown) => string,
): RollupSource | null {
  const given = Object.entries(filter).filter((entry): entry is [string, string] => entry[1] !== undefined);
  if (given.some(([, value]) => value.includes('*'))) return null;
  const entities = given.filter(([field]) => field in ENTITY_KINDS);
  if (entities.length > 1) return null;
  const [entity] = entities;
  const allowed = entity ? ENTITY_FILTERS : CLUSTER_FILTERS;
  if (given.some(([field]) => field !== entity?.[0] && !allowed.has(field))) return null;
  const where = given
    .filter(([field]) => field !== entity?.[0])
    .map(([field, value]) => `r.${field} = ${param(value)}`);
  if (entity)
    where.push(
      `r.entity_kind = '${ENTITY_KINDS[entity[0]]}'`,
      `r.entity_namespace = ''`,
      `r.entity_name = ${param(entity[1])}`,
    );
  return { table: entity ? 'entity_rollups' : 'cluster_rollups', where: where.join(' AND ') || 'TRUE' };
}

// Without a filter every row matches and the first or last rows of the time index are the answer: only a
// filter (a rare verb of a busy user, say) makes the raw walk long enough for the rollups to pay.
export const narrowsByFilter = (query: EventQuery) =>
  query.kind === 'audit' && Object.values(query.filter).some(Boolean);

// Rollups outlive retention; the explorer counts what it can list: hours whose partition is still attached
// (a retention run killed between detach and drop leaves a table that no query of audit_events reads).
export const STORED_HOUR_SQL = `EXISTS (SELECT 1 FROM pg_inherits i
   WHERE i.inhrelid = to_regclass(vigil_partition_name('audit_events', (r.hour AT TIME ZONE 'UTC')::date, r.cluster))
     AND NOT i.inhdetachpending)`;
