import type { Queryable } from '../../db/types.ts';
import type { CohortInterval, CohortMaskCount } from './cohort-table.ts';

// Identified users by the period (ISO week or month of UTC days) of their first day on the selected
// domains, from user_activity (migration 0009). Each row keeps the periods a user was active in
// as bits from the row's own first period; a user's rows are moved to the user's first period and
// OR-ed, so bit k is "active k periods after the cohort's". Users with the same cohort and bits are
// counted together; the caller spreads them over the table (cohortCountsFromMasks).
//
// The period holding the last day may run past it: that cell is tested on the days up to it
// (in_last), and only the bits of earlier periods are kept.
const COHORT_MASKS_SQL = `
WITH firsts AS (
  SELECT user_id, min(first_day) AS first_day
    FROM user_activity
   WHERE domain_id = ANY ($1::uuid[])
   GROUP BY user_id
  HAVING min(first_day) BETWEEN $2::date AND $3::date
), per_user AS (
  SELECT min(CASE WHEN $4 = 'week' THEN engagement_week(f.first_day) ELSE engagement_month(f.first_day) END) AS cohort,
         bit_or(CASE WHEN $4 = 'week'
                     THEN engagement_shift(u.weeks, engagement_week(u.first_day) - engagement_week(f.first_day))
                     ELSE engagement_shift(u.months, engagement_month(u.first_day) - engagement_month(f.first_day))
                END) AS mask,
         bool_or(engagement_active(u.first_day, u.last_day, u.days, $5::date, $3::date)) AS in_last
    FROM user_activity u
    JOIN firsts f ON f.user_id = u.user_id
   WHERE u.domain_id = ANY ($1::uuid[])
   GROUP BY u.user_id
), last_period AS (
  SELECT CASE WHEN $4 = 'week' THEN engagement_week($3::date) ELSE engagement_month($3::date) END AS n
)
SELECT CASE WHEN $4 = 'week' THEN DATE '1970-01-05' + 7 * cohort
            ELSE make_date(cohort / 12, cohort % 12 + 1, 1) END AS cohort,
       mask & (engagement_shift(1, last_period.n - cohort) - 1) AS mask,
       in_last AS "inLast",
       count(*)::int AS users
  FROM per_user, last_period
 GROUP BY 1, 2, 3`;

/**
 * `firstCohort` is the start of the oldest cohort, `lastPeriod` the start of the period holding
 * `lastDay`; users first seen before the oldest cohort are in no cohort.
 */
export async function selectCohortMasks(
  tx: Queryable,
  domainIds: readonly string[],
  interval: CohortInterval,
  firstCohort: string,
  lastDay: string,
  lastPeriod: string,
): Promise<CohortMaskCount[]> {
  const res = await tx.query<CohortMaskCount>(COHORT_MASKS_SQL, [
    domainIds,
    firstCohort,
    lastDay,
    interval,
    lastPeriod,
  ]);
  return res.rows.map((r) => ({ ...r, mask: Number(r.mask) }));
}
