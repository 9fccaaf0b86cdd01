// How an audit event ended, as SQL over `audit_events e`: one definition for every count and filter.

/** Authorization's decision first, the response code otherwise. */
export const OUTCOME_SQL = `CASE WHEN e.decision = 'forbid' OR e.response_code IN (401, 403) THEN 'forbidden'
  WHEN e.decision = 'allow' OR e.response_code BETWEEN 200 AND 399 THEN 'allowed' ELSE 'other' END`;

/** `allowed`, `forbidden` and `other` columns (int) for a GROUP BY over `audit_events e`. */
export const OUTCOME_COUNTS_SQL = `count(*) FILTER (WHERE ${OUTCOME_SQL} = 'allowed')::int AS allowed,
  count(*) FILTER (WHERE ${OUTCOME_SQL} = 'forbidden')::int AS forbidden,
  count(*) FILTER (WHERE ${OUTCOME_SQL} = 'other')::int AS other`;
