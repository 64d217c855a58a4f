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
//
// Users with rows on one domain only (most) need no grouping: each figure is a count of rows. Only
// `shared` users are grouped per user. Both come out as classes of users (see tally).
const USER_FIGURES_SQL = `
WITH shared_rows AS (
  SELECT user_id, first_day, last_day, days, min(first_day) OVER (PARTITION BY user_id) AS f
    FROM user_activity
   WHERE domain_id = ANY ($1::uuid[]) AND shared
), shared_users AS (
  SELECT count(*) FILTER (WHERE engagement_active(first_day, last_day, days, $2, $3)) AS domains,
         coalesce(bool_or(engagement_active(first_day, last_day, days, $4, $5)), false) AS mau,
         count(*) FILTER (WHERE engagement_active(first_day, last_day, days, $8, $9)) AS prev_domains,
         coalesce(bool_or(engagement_active(first_day, last_day, days, $10, $11)), false) AS prev_mau,
         coalesce(min(f) BETWEEN $6 AND $7, false) AS cohort,
         coalesce(min(f) BETWEEN $12 AND $13, false) AS prev_cohort,
         coalesce(bool_or(CASE WHEN f BETWEEN $6 AND $7 OR f BETWEEN $12 AND $13
                               THEN engagement_active(first_day, last_day, days, f + $14::int, f + $15::int) END),
                  false) AS retained
    FROM shared_rows
   GROUP BY user_id
), solo AS (
  SELECT count(*) FILTER (WHERE engagement_active(first_day, last_day, days, $2, $3)) AS domains,
         count(*) FILTER (WHERE engagement_active(first_day, last_day, days, $4, $5)) AS mau,
         count(*) FILTER (WHERE engagement_active(first_day, last_day, days, $8, $9)) AS prev_domains,
         count(*) FILTER (WHERE engagement_active(first_day, last_day, days, $10, $11)) AS prev_mau,
         count(*) FILTER (WHERE first_day BETWEEN $6 AND $7) AS cohort,
         count(*) FILTER (WHERE first_day BETWEEN $12 AND $13) AS prev_cohort,
         count(*) FILTER (WHERE first_day BETWEEN $6 AND $7
                            AND engagement_active(first_day, last_day, days, first_day + $14::int, first_day + $15::int))
           AS retained,
         count(*) FILTER (WHERE first_day BETWEEN $12 AND $13
                            AND engagement_active(first_day, last_day, days, first_day + $14::int, first_day + $15::int))
           AS prev_retained
    FROM user_activity
   WHERE domain_id = ANY ($1::uuid[]) AND NOT shared
)
SELECT domains::int, mau, prev_domains::int AS "prevDomains", prev_mau AS "prevMau", cohort,
       prev_cohort AS "prevCohort", retained, count(*)::int AS users
  FROM shared_users
 GROUP BY 1, 2, 3, 4, 5, 6, 7
UNION ALL
-- One class per figure: a solo user counts in each figure on its own.
SELECT c.* FROM solo CROSS JOIN LATERAL (VALUES
  (1, false, 0, false, false, false, false, solo.domains::int),
  (0, true, 0, false, false, false, false, solo.mau::int),
  (0, false, 1, false, false, false, false, solo.prev_domains::int),
  (0, false, 0, true, false, false, false, solo.prev_mau::int),
  (0, false, 0, false, true, false, false, (solo.cohort - solo.retained)::int),
  (0, false, 0, false, true, false, true, solo.retained::int),
  (0, false, 0, false, false, true, false, (solo.prev_cohort - solo.prev_retained)::int),
  (0, false, 0, false, false, true, true, solo.prev_retained::int)
) AS c(domains, mau, "prevDomains", "prevMau", cohort, "prevCohort", retained, users)`;

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
    if (c.users === 0) continue;
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
