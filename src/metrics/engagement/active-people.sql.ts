import type { Queryable } from '../../db/types.ts';
import type { DaySpan } from './engagement-formulas.ts';

// Distinct people over several days (MAU). A user id is one person on every domain ('u:' + id on
// each); a visitor id only means something on its own domain (and, from the tracker, for one UTC
// day: its salt rotates), so anonymous people are keyed by domain and visitor.
const ACTIVE_PEOPLE_SQL = `
SELECT count(*) FILTER (WHERE anon_domain IS NULL)::int AS users,
       count(*) FILTER (WHERE anon_domain IS NOT NULL)::int AS visitors
  FROM (SELECT CASE WHEN user_id IS NULL THEN domain_id END AS anon_domain, person
          FROM activity_daily
         WHERE domain_id = ANY ($1::uuid[]) AND day BETWEEN $2::date AND $3::date
         GROUP BY 1, 2) people`;

export interface ActivePeople {
  users: number;
  visitors: number;
}

export async function countActivePeople(
  tx: Queryable,
  domainIds: readonly string[],
  days: DaySpan,
): Promise<ActivePeople> {
  const res = await tx.query<ActivePeople>(ACTIVE_PEOPLE_SQL, [domainIds, days.from, days.to]);
  return res.rows[0] ?? { users: 0, visitors: 0 };
}
