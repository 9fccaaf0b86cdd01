// How an audit event ended, as SQL over `audit_events e`: one definition for every count and filter.

/**
 * Authorization's decision first, the response code otherwise: `vigil_request_outcome` (migration
 * 20261203110000_rollups), which the rollup triggers use too. PostgreSQL inlines it.
 */
export const OUTCOME_SQL = `vigil_request_outcome(e.decision, e.response_code)`;

/** `allowed`, `forbidden` and `other` columns (int) for a GROUP BY over `audit_events e`. */
export const OUTCOME_COUNTS_SQL = `count(*) FILTER (WHERE ${OUTCOME_SQL} = 'allowed')::int AS allowed,
  count(*) FILTER (WHERE ${OUTCOME_SQL} = 'forbidden')::int AS forbidden,
  count(*) FILTER (WHERE ${OUTCOME_SQL} = 'other')::int AS other`;
