import type { Queryable } from '../../db/types.ts';
import type { DailyActivity, DaySpan } from './engagement-formulas.ts';

// Per UTC day: anonymous visitor ids (one row each per domain and day, so a plain count) and the
// sessions started, over every row; then the distinct identified users, over their rows only (the
// partial index) — two small aggregations instead of one distinct count over every row.
const DAILY_TOTALS_SQL = `
SELECT day,
       count(*) FILTER (WHERE user_id IS NULL)::int AS visitors,
       sum(sessions)::bigint AS sessions,
       sum(duration_s)::bigint AS duration_s
  FROM activity_daily
 WHERE domain_id = ANY ($1::uuid[]) AND day BETWEEN $2::date AND $3::date
 GROUP BY day`;

const DAILY_USERS_SQL = `
SELECT day, count(*)::int AS users
  FROM (SELECT day, user_id
          FROM activity_daily
         WHERE user_id IS NOT NULL AND domain_id = ANY ($1::uuid[]) AND day BETWEEN $2::date AND $3::date
         GROUP BY day, user_id) user_days
 GROUP BY day`;

interface TotalsRow {
  day: string;
  visitors: number;
  sessions: number;
  duration_s: number;
}

/** The days of the span that had activity, in no particular order (fillDays orders and fills them). */
export async function selectDailyActivity(
  tx: Queryable,
  domainIds: readonly string[],
  days: DaySpan,
): Promise<DailyActivity[]> {
  const params = [domainIds, days.from, days.to];
  const totals = await tx.query<TotalsRow>(DAILY_TOTALS_SQL, params);
  const users = await tx.query<{ day: string; users: number }>(DAILY_USERS_SQL, params);
  const usersByDay = new Map(users.rows.map((r) => [r.day, r.users]));
  return totals.rows.map((r) => ({
    day: r.day,
    users: usersByDay.get(r.day) ?? 0,
    visitors: r.visitors,
    sessions: Number(r.sessions),
    durationS: Number(r.duration_s),
  }));
}
