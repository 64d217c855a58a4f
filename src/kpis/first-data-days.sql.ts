import type { Queryable } from '../db/types.ts';
import type { SourceName } from './metric-sources.ts';

// The first UTC day each source has data for: a backfill starts there, so days before tracking
// or billing began are not stored as zeros (a false upward trend on a new install).
const FIRST_DAYS_SQL = `
SELECT (SELECT min(day) FROM engagement_daily)::text AS activity,
       least(((SELECT min(at) FROM subscription_changes) AT TIME ZONE 'UTC')::date,
             ((SELECT min(occurred_at) FROM revenue) AT TIME ZONE 'UTC')::date,
             (SELECT min(incurred_on) FROM costs))::text AS money`;

/** First day with data per source; null when the source has none yet. */
export async function selectFirstDataDays(tx: Queryable): Promise<Record<SourceName, string | null>> {
  const res = await tx.query<{ activity: string | null; money: string | null }>(FIRST_DAYS_SQL);
  const row = res.rows[0] ?? { activity: null, money: null };
  return {
    revenue30: row.money,
    costs30: row.money,
    engagement30: row.activity,
    overview30: row.activity,
  };
}
