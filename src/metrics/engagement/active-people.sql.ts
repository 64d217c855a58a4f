import type { Queryable } from '../../db/types.ts';
import type { DaySpan } from './engagement-formulas.ts';

// Distinct people over several days. A user id is one person on every domain; a visitor id is only
// meaningful on its own domain (and, from the tracker, only for one UTC day: its salt rotates).
const ACTIVE_PEOPLE_SQL = `
SELECT count(DISTINCT user_id) FILTER (WHERE user_id IS NOT NULL)::int AS users,
       count(DISTINCT (domain_id, person)) FILTER (WHERE user_id IS NULL)::int AS visitors
  FROM activity_daily
 WHERE domain_id = ANY ($1::uuid[]) AND day BETWEEN $2::date AND $3::date`;

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
