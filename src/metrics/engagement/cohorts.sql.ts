import type { Queryable } from '../../db/types.ts';
import type { CohortInterval, CohortMaskCount } from './cohort-table.ts';

// Identified users by the period (ISO week or month of UTC days) of their first day on the selected
// domains, from user_activity (migration 0009), counted by cohort and activity pattern; the caller
// spreads them over the table (cohortCountsFromMasks). A row keeps the periods its user was active
// in as bits from the row's own first period: for a user with one domain that is the cohort's. A
// shared user's rows are moved to the oldest cohort's period and OR-ed, then moved back to the
// user's cohort, so bit k is "active k periods after the cohort's" either way.
//
// The period holding the last day may run past it: that cell is tested on the days up to it
// (inLast), and only the bits of earlier periods are kept.
const COHORT_MASKS_SQL = `
WITH periods AS (
  SELECT CASE WHEN $4 = 'week' THEN engagement_week($2::date) ELSE engagement_month($2::date) END AS first_n,
         CASE WHEN $4 = 'week' THEN engagement_week($3::date) ELSE engagement_month($3::date) END AS last_n
), users AS (
  SELECT CASE WHEN $4 = 'week' THEN first_week ELSE first_month END AS cohort,
         CASE WHEN $4 = 'week' THEN weeks ELSE months END AS mask,
         engagement_active(first_day, last_day, days, $5::date, $3::date) AS in_last
    FROM user_activity
   WHERE domain_id = ANY ($1::uuid[]) AND NOT shared AND first_day BETWEEN $2::date AND $3::date
  UNION ALL
  SELECT min(r.n), bit_or(engagement_shift(r.mask, r.n - p.first_n)) >> (min(r.n) - p.first_n), bool_or(r.in_last)
    FROM (SELECT user_id, first_day,
                 CASE WHEN $4 = 'week' THEN first_week ELSE first_month END AS n,
                 CASE WHEN $4 = 'week' THEN weeks ELSE months END AS mask,
                 engagement_active(first_day, last_day, days, $5::date, $3::date) AS in_last
            FROM user_activity
           WHERE domain_id = ANY ($1::uuid[]) AND shared) r, periods p
   GROUP BY r.user_id, p.first_n
  HAVING min(r.first_day) BETWEEN $2::date AND $3::date
)
SELECT CASE WHEN $4 = 'week' THEN DATE '1970-01-05' + 7 * u.cohort
            ELSE make_date(u.cohort / 12, u.cohort % 12 + 1, 1) END AS cohort,
       u.mask & (engagement_shift(1, p.last_n - u.cohort) - 1) AS mask,
       u.in_last AS "inLast",
       count(*)::int AS users
  FROM users u, periods p
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
