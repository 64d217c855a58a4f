import type { Queryable } from '../../db/types.ts';
import type { CohortCount, CohortInterval } from './cohort-table.ts';
import { FIRST_SEEN_CTE } from './first-seen.sql.ts';

// Identified users by the period (ISO week or month of UTC days) of their first activity on the
// selected domains, counted in every period they were active in, up to the last day.
const COHORT_COUNTS_SQL = `
WITH ${FIRST_SEEN_CTE},
active_periods AS (
  SELECT DISTINCT user_id, date_trunc($4, day::timestamp)::date AS period
    FROM activity_daily
   WHERE user_id IS NOT NULL AND domain_id = ANY ($1::uuid[]) AND day BETWEEN $2::date AND $3::date
)
SELECT date_trunc($4, f.first_day::timestamp)::date AS cohort, a.period, count(*)::int AS users
  FROM first_seen f
  JOIN active_periods a ON a.user_id = f.user_id
 GROUP BY 1, 2
 ORDER BY 1, 2`;

/** `firstCohort` is the start of the oldest cohort; users first seen before it are in no cohort. */
export async function selectCohortCounts(
  tx: Queryable,
  domainIds: readonly string[],
  interval: CohortInterval,
  firstCohort: string,
  lastDay: string,
): Promise<CohortCount[]> {
  const res = await tx.query<CohortCount>(COHORT_COUNTS_SQL, [domainIds, firstCohort, lastDay, interval]);
  return res.rows;
}
