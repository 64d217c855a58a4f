import type { Queryable } from '../../db/types.ts';
import {
  type DaySpan,
  type DomainCountBucket,
  RETENTION_FIRST_DAY,
  RETENTION_LAST_DAY,
} from './engagement-formulas.ts';

// Everything the summary counts per identified user, for the range and its comparison period at
// once, from user_activity (one row per user and domain, migration 0009): the domains each user
// was active on in the range, whether active in MAU's window, and their first day on the selected
// domains (the earliest first_day of their rows) with whether they came back on day 30..59 — a
// fixed stretch of days, the same whichever period's cohort the user falls in.
const USER_FIGURES_SQL = `
WITH firsts AS (
  SELECT user_id, min(first_day) AS first_day
    FROM user_activity
   WHERE domain_id = ANY ($1::uuid[])
   GROUP BY user_id
), per_user AS (
  SELECT count(*) FILTER (WHERE engagement_active(u.first_day, u.last_day, u.days, $2, $3)) AS domains,
         bool_or(engagement_active(u.first_day, u.last_day, u.days, $4, $5)) AS mau,
         count(*) FILTER (WHERE engagement_active(u.first_day, u.last_day, u.days, $8, $9)) AS prev_domains,
         bool_or(engagement_active(u.first_day, u.last_day, u.days, $10, $11)) AS prev_mau,
         min(f.first_day) BETWEEN $6 AND $7 AS cohort,
         min(f.first_day) BETWEEN $12 AND $13 AS prev_cohort,
         bool_or(CASE WHEN f.first_day BETWEEN $6 AND $7 OR f.first_day BETWEEN $12 AND $13
                      THEN engagement_active(u.first_day, u.last_day, u.days,
                                             f.first_day + $14::int, f.first_day + $15::int) END) AS retained
    FROM user_activity u
    JOIN firsts f ON f.user_id = u.user_id
   WHERE u.domain_id = ANY ($1::uuid[])
   GROUP BY u.user_id
)
SELECT domains::int, coalesce(mau, false) AS mau, prev_domains::int AS "prevDomains",
       coalesce(prev_mau, false) AS "prevMau", coalesce(cohort, false) AS cohort,
       coalesce(prev_cohort, false) AS "prevCohort", coalesce(retained, false) AS retained,
       count(*)::int AS users
  FROM per_user
 GROUP BY 1, 2, 3, 4, 5, 6, 7`;

/** The windows of one period (null: none of its days has happened yet). */
export interface UserWindows {
  days: DaySpan | null;
  mau: DaySpan | null;
  retentionCohort: DaySpan | null;
}

/** What the summary needs of identified users in one period. */
export interface UserFigures {
  /** Users by the number of selected domains they were active on in the range. */
  buckets: DomainCountBucket[];
  mauUsers: number;
  retentionCohort: number;
  retentionRetained: number;
}

export interface UserClass {
  domains: number;
  mau: boolean;
  prevDomains: number;
  prevMau: boolean;
  cohort: boolean;
  prevCohort: boolean;
  retained: boolean;
  users: number;
}

const edges = (span: DaySpan | null) => [span?.from ?? null, span?.to ?? null];

/** Users counted in one scan for a period and, when given, its comparison period. */
export async function selectUserFigures(
  tx: Queryable,
  domainIds: readonly string[],
  current: UserWindows,
  previous: UserWindows | null,
): Promise<{ current: UserFigures; previous: UserFigures }> {
  const res = await tx.query<UserClass>(USER_FIGURES_SQL, [
    domainIds,
    ...edges(current.days),
    ...edges(current.mau),
    ...edges(current.retentionCohort),
    ...edges(previous?.days ?? null),
    ...edges(previous?.mau ?? null),
    ...edges(previous?.retentionCohort ?? null),
    RETENTION_FIRST_DAY,
    RETENTION_LAST_DAY,
  ]);
  return {
    current: tally(res.rows, (r) => [r.domains, r.mau, r.cohort]),
    previous: tally(res.rows, (r) => [r.prevDomains, r.prevMau, r.prevCohort]),
  };
}

/** Sums the classes of users into one period's figures. */
export function tally(
  classes: readonly UserClass[],
  pick: (c: UserClass) => [domains: number, mau: boolean, cohort: boolean],
): UserFigures {
  const byDomains = new Map<number, number>();
  const out: UserFigures = { buckets: [], mauUsers: 0, retentionCohort: 0, retentionRetained: 0 };
  for (const c of classes) {
    const [domains, mau, cohort] = pick(c);
    if (domains > 0) byDomains.set(domains, (byDomains.get(domains) ?? 0) + c.users);
    if (mau) out.mauUsers += c.users;
    if (cohort) {
      out.retentionCohort += c.users;
      if (c.retained) out.retentionRetained += c.users;
    }
  }
  out.buckets = [...byDomains.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([domains, users]) => ({ domains, users }));
  return out;
}
