import type { Queryable } from '../../db/types.ts';
import type { DailyActivity, DaySpan } from './engagement-formulas.ts';

// Per UTC day: identified users once however many domains they used, plus anonymous visitor ids
// (one row each per domain and day), and the sessions they started. Grouping by (day, user) first
// lets both levels hash instead of sorting for count(DISTINCT).
const DAILY_ACTIVITY_SQL = `
SELECT day,
       count(*) FILTER (WHERE user_id IS NOT NULL)::int AS users,
       coalesce(sum(rows) FILTER (WHERE user_id IS NULL), 0)::int AS visitors,
       sum(sessions)::bigint AS sessions,
       sum(duration_s)::bigint AS duration_s
  FROM (SELECT day, user_id, count(*) AS rows, sum(sessions) AS sessions, sum(duration_s) AS duration_s
          FROM activity_daily
         WHERE domain_id = ANY ($1::uuid[]) AND day BETWEEN $2::date AND $3::date
         GROUP BY day, user_id) per_user
 GROUP BY day
 ORDER BY day`;

interface Row {
  day: string;
  users: number;
  visitors: number;
  sessions: number;
  duration_s: number;
}

export async function selectDailyActivity(
  tx: Queryable,
  domainIds: readonly string[],
  days: DaySpan,
): Promise<DailyActivity[]> {
  const res = await tx.query<Row>(DAILY_ACTIVITY_SQL, [domainIds, days.from, days.to]);
  return res.rows.map((r) => ({
    day: r.day,
    users: r.users,
    visitors: r.visitors,
    sessions: Number(r.sessions),
    durationS: Number(r.duration_s),
  }));
}
