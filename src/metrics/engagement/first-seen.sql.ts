// Identified users first seen on the selected domains ($1) between $2 and $3: active in those days
// and never before them. Starting from the users of the asked days lets the planner check their
// earlier days through the (user_id, day) index instead of aggregating all history.
export const FIRST_SEEN_CTE = `
first_seen AS (
  SELECT candidate.user_id, candidate.first_day
    FROM (SELECT user_id, min(day) AS first_day
            FROM activity_daily
           WHERE user_id IS NOT NULL AND domain_id = ANY ($1::uuid[]) AND day BETWEEN $2::date AND $3::date
           GROUP BY user_id) candidate
   WHERE NOT EXISTS (
     SELECT 1 FROM activity_daily earlier
      WHERE earlier.user_id = candidate.user_id AND earlier.user_id IS NOT NULL
        AND earlier.domain_id = ANY ($1::uuid[]) AND earlier.day < $2::date)
)`;
