import type { Queryable } from '../../db/types.ts';
import type { DailyActivity, DaySpan } from './engagement-formulas.ts';

// Per UTC day, from engagement_daily (migration 0009): the sums over the selected domains, less
// the users counted on more than one of them — each user of shared_user_days is counted once per
// domain in the sum, so its domains − 1 is what was counted too many times.
const DAILY_ACTIVITY_SQL = `
WITH totals AS (
  SELECT day, sum(users) AS users, sum(visitors) AS visitors, sum(sessions) AS sessions,
         sum(duration_s) AS duration_s
    FROM engagement_daily
   WHERE domain_id = ANY ($1::uuid[]) AND day BETWEEN $2::date AND $3::date
   GROUP BY day
), repeated AS (
  SELECT day, sum(domains - 1) AS users
    FROM (SELECT day, user_id, count(*) AS domains
            FROM shared_user_days
           WHERE domain_id = ANY ($1::uuid[]) AND day BETWEEN $2::date AND $3::date
             AND cardinality($1::uuid[]) > 1 -- one domain: nobody is counted twice, nothing to read
           GROUP BY day, user_id) per_user
   GROUP BY day
)
SELECT t.day, (t.users - coalesce(r.users, 0))::int AS users, t.users::int AS "userRows",
       t.visitors::int AS visitors, t.sessions::bigint AS sessions, t.duration_s::bigint AS "durationS"
  FROM totals t
  LEFT JOIN repeated r ON r.day = t.day`;

/** A day of activity, with the rows of activity_daily it sums (users once per domain, visitors). */
export interface DailyActivityRows extends DailyActivity {
  userRows: number;
}

/** The days of the span that had activity, in no particular order (fillDays orders and fills them). */
export async function selectDailyActivity(
  tx: Queryable,
  domainIds: readonly string[],
  days: DaySpan,
): Promise<DailyActivityRows[]> {
  const res = await tx.query<DailyActivityRows>(DAILY_ACTIVITY_SQL, [domainIds, days.from, days.to]);
  return res.rows.map((r) => ({ ...r, sessions: Number(r.sessions), durationS: Number(r.durationS) }));
}
