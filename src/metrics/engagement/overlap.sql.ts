import type { Queryable } from '../../db/types.ts';
import type { DaySpan } from './engagement-formulas.ts';
import { type DomainSet, type OverlapCount, overlapCountsFromSets } from './overlap-matrix.ts';

// Identified users active on both domains of each pair during the days (a = b: on that domain),
// from user_activity (one row per user and domain, migration 0009): users are counted by the set of
// domains they were active on (a user with one domain: a set of one), and each set adds its users
// to every pair it holds. Anonymous visitor ids are per domain: never shared.
const OVERLAP_SETS_SQL = `
SELECT ARRAY[domain_id::text] AS domains, count(*)::int AS users
  FROM user_activity
 WHERE domain_id = ANY ($1::uuid[]) AND NOT shared
   AND engagement_active(first_day, last_day, days, $2::date, $3::date)
 GROUP BY domain_id
UNION ALL
SELECT domains, count(*)::int
  FROM (SELECT array_agg(domain_id::text ORDER BY domain_id) AS domains
          FROM user_activity
         WHERE domain_id = ANY ($1::uuid[]) AND shared
           AND engagement_active(first_day, last_day, days, $2::date, $3::date)
         GROUP BY user_id) s
 GROUP BY domains`;

export async function selectOverlapCounts(
  tx: Queryable,
  domainIds: readonly string[],
  days: DaySpan,
): Promise<OverlapCount[]> {
  const res = await tx.query<DomainSet>(OVERLAP_SETS_SQL, [domainIds, days.from, days.to]);
  return overlapCountsFromSets(res.rows);
}
