import type { Queryable } from '../../db/types.ts';
import type { DaySpan, DomainCountBucket } from './engagement-formulas.ts';

// How many identified users were active on 1, 2, 3… of the selected domains during the days: the
// base of the active-user count, the cross-domain engagement rate and the seed's user segments.
const DOMAINS_PER_USER_SQL = `
SELECT domains, count(*)::int AS users
  FROM (SELECT user_id, count(*)::int AS domains
          FROM (SELECT DISTINCT user_id, domain_id
                  FROM activity_daily
                 WHERE user_id IS NOT NULL AND domain_id = ANY ($1::uuid[])
                   AND day BETWEEN $2::date AND $3::date) active_on
         GROUP BY user_id) per_user
 GROUP BY domains
 ORDER BY domains`;

export async function selectDomainsPerUser(
  tx: Queryable,
  domainIds: readonly string[],
  days: DaySpan,
): Promise<DomainCountBucket[]> {
  const res = await tx.query<DomainCountBucket>(DOMAINS_PER_USER_SQL, [domainIds, days.from, days.to]);
  return res.rows;
}
