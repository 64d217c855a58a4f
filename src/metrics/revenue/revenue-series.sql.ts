import type { Queryable } from '../../db/types.ts';

export type SeriesInterval = 'day' | 'week' | 'month';

// Buckets are calendar days, ISO weeks (from Monday) or months in the asked time zone.
const SELECT_REVENUE_SERIES_SQL = `
SELECT to_char(date_trunc($4::text, r.occurred_at AT TIME ZONE $5::text), 'YYYY-MM-DD') AS bucket,
       coalesce(sum(r.amount_eur) FILTER (WHERE r.status <> 'pending'), 0) AS earned_eur,
       coalesce(sum(r.amount_eur) FILTER (WHERE r.status = 'pending'), 0) AS pending_eur
  FROM revenue r
 WHERE r.domain_id = ANY ($1::uuid[])
   AND r.status IN ('completed', 'approved', 'paid', 'pending')
   AND r.occurred_at >= $2 AND r.occurred_at < $3
 GROUP BY 1`;

export interface RevenueSeriesRow {
  /** First day of the bucket, YYYY-MM-DD. */
  bucket: string;
  earnedEur: string;
  pendingEur: string;
}

export async function selectRevenueSeries(
  tx: Queryable,
  input: { domainIds: readonly string[]; start: Date; end: Date; interval: SeriesInterval; tz: string },
): Promise<RevenueSeriesRow[]> {
  const res = await tx.query<{ bucket: string; earned_eur: string; pending_eur: string }>(
    SELECT_REVENUE_SERIES_SQL,
    [input.domainIds, input.start, input.end, input.interval, input.tz],
  );
  return res.rows.map((r) => ({ bucket: r.bucket, earnedEur: r.earned_eur, pendingEur: r.pending_eur }));
}
