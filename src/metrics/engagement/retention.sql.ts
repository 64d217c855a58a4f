import type { Queryable } from '../../db/types.ts';
import { type DaySpan, RETENTION_FIRST_DAY, RETENTION_LAST_DAY } from './engagement-formulas.ts';
import { FIRST_SEEN_CTE } from './first-seen.sql.ts';

// 30-day retention of identified users first seen (on the selected domains) during the cohort days:
// retained = active again on any day from day 30 to day 59 after the first.
const RETENTION_SQL = `
WITH ${FIRST_SEEN_CTE}
SELECT count(*)::int AS cohort,
       count(*) FILTER (WHERE EXISTS (
         SELECT 1 FROM activity_daily later
          WHERE later.user_id = first_seen.user_id AND later.user_id IS NOT NULL
            AND later.domain_id = ANY ($1::uuid[])
            AND later.day BETWEEN first_seen.first_day + $4::int AND first_seen.first_day + $5::int
       ))::int AS retained
  FROM first_seen`;

export interface RetentionCounts {
  cohort: number;
  retained: number;
}

export async function countRetention30(
  tx: Queryable,
  domainIds: readonly string[],
  cohortDays: DaySpan,
): Promise<RetentionCounts> {
  const res = await tx.query<RetentionCounts>(RETENTION_SQL, [
    domainIds,
    cohortDays.from,
    cohortDays.to,
    RETENTION_FIRST_DAY,
    RETENTION_LAST_DAY,
  ]);
  return res.rows[0] ?? { cohort: 0, retained: 0 };
}
