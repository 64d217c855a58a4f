import type { Queryable } from '../../db/types.ts';
import type { DaySpan } from './engagement-formulas.ts';
import type { OverlapCount } from './overlap-matrix.ts';

// Identified users active on both domains of each pair during the days (a = b: on that domain).
// Only user ids link a person across domains; anonymous visitor ids are per domain.
const OVERLAP_SQL = `
WITH active_on AS (
  SELECT DISTINCT domain_id, user_id
    FROM activity_daily
   WHERE user_id IS NOT NULL AND domain_id = ANY ($1::uuid[]) AND day BETWEEN $2::date AND $3::date
)
SELECT a.domain_id AS a, b.domain_id AS b, count(*)::int AS users
  FROM active_on a
  JOIN active_on b ON b.user_id = a.user_id
 GROUP BY a.domain_id, b.domain_id`;

export async function selectOverlapCounts(
  tx: Queryable,
  domainIds: readonly string[],
  days: DaySpan,
): Promise<OverlapCount[]> {
  const res = await tx.query<OverlapCount>(OVERLAP_SQL, [domainIds, days.from, days.to]);
  return res.rows;
}
