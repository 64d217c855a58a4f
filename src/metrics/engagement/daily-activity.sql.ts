import type { Queryable } from '../../db/types.ts';
import type { DailyActivity, DaySpan } from './engagement-formulas.ts';

// Per UTC day: identified users once however many domains they used, plus anonymous visitor ids
// (one row each per domain and day, so a plain count), and the sessions they started.
const DAILY_ACTIVITY_SQL = `
SELECT day,
       count(DISTINCT user_id) FILTER (WHERE user_id IS NOT NULL)::int AS users,
       count(*) FILTER (WHERE user_id IS NULL)::int AS visitors,
       sum(sessions)::bigint AS sessions,
       sum(duration_s)::bigint AS duration_s
  FROM activity_daily
 WHERE domain_id = ANY ($1::uuid[]) AND day BETWEEN $2::date AND $3::date
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
