import type { Queryable } from '../../db/types.ts';
import type { DaySpan } from './engagement-formulas.ts';
import type { OverlapCount } from './overlap-matrix.ts';

// Identified users active on both domains of each pair during the days (a = b: on that domain),
// from user_activity (one row per user and domain, migration 0009). Only `shared` users (rows on
// several domains) are joined for the pairs. Anonymous visitor ids are per domain: never shared.
const OVERLAP_SQL = `
WITH active AS (
  SELECT domain_id, user_id, shared
    FROM user_activity
   WHERE domain_id = ANY ($1::uuid[]) AND engagement_active(first_day, last_day, days, $2::date, $3::date)
), pairs AS (
  SELECT domain_id, user_id FROM active WHERE shared
)
SELECT domain_id AS a, domain_id AS b, count(*)::int AS users
  FROM active
 GROUP BY domain_id
UNION ALL
SELECT x.domain_id, y.domain_id, count(*)::int
  FROM pairs x
  JOIN pairs y ON y.user_id = x.user_id AND y.domain_id <> x.domain_id
 GROUP BY x.domain_id, y.domain_id`;

export async function selectOverlapCounts(
  tx: Queryable,
  domainIds: readonly string[],
  days: DaySpan,
): Promise<OverlapCount[]> {
  const res = await tx.query<OverlapCount>(OVERLAP_SQL, [domainIds, days.from, days.to]);
  return res.rows;
}
