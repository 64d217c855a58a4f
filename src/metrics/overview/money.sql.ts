import type { Tx } from '../../db/types.ts';
import { centsOfNumeric } from '../../ingest/revenue/money.ts';
import type { DateRange } from '../metric-query.ts';

// The overview's revenue and MRR in two grouped statements, the same figures the revenue verbs
// give (docs/metrics.md "Revenue") without their series, movements and unit economics.

/** Earned revenue net of refunds (completed, approved, paid; refunds are negative rows). */
const REVENUE_SQL = `
SELECT domain_id::text AS domain_id,
       coalesce(sum(amount_eur) FILTER (WHERE occurred_at >= $2 AND occurred_at < $3), 0)::text AS current,
       coalesce(sum(amount_eur) FILTER (WHERE occurred_at >= $4 AND occurred_at < $5), 0)::text AS previous
  FROM revenue
 WHERE domain_id = ANY ($1::uuid[]) AND status IN ('completed', 'approved', 'paid')
   AND ((occurred_at >= $2 AND occurred_at < $3) OR (occurred_at >= $4 AND occurred_at < $5))
 GROUP BY domain_id`;

/** MRR at an instant: the sum of every subscription change before it (each row is a delta). */
const MRR_SQL = `
SELECT domain_id::text AS domain_id,
       coalesce(sum(mrr_after - mrr_before) FILTER (WHERE at < $2), 0)::text AS current,
       coalesce(sum(mrr_after - mrr_before) FILTER (WHERE at < $3), 0)::text AS previous
  FROM subscription_changes
 WHERE domain_id = ANY ($1::uuid[]) AND at < greatest($2::timestamptz, $3::timestamptz)
 GROUP BY domain_id`;

export interface MoneyFigures {
  /** Cents per domain id. */
  revenue: Map<string, { current: number; previous: number }>;
  mrr: Map<string, { current: number; previous: number }>;
}

const cents = (text: string) => Number(centsOfNumeric(text));

/** Revenue over the range and the previous one; MRR at the end of each (the range's end twice without one). */
export async function selectOverviewMoney(
  tx: Tx,
  domainIds: readonly string[],
  range: DateRange,
  previous: DateRange | null,
): Promise<MoneyFigures> {
  const prev = previous ?? { start: range.start, end: range.start };
  const revenue = await tx.query<{ domain_id: string; current: string; previous: string }>(REVENUE_SQL, [
    domainIds,
    range.start,
    range.end,
    prev.start,
    prev.end,
  ]);
  const mrr = await tx.query<{ domain_id: string; current: string; previous: string }>(MRR_SQL, [
    domainIds,
    range.end,
    prev.end,
  ]);
  const toMap = (rows: { domain_id: string; current: string; previous: string }[]) =>
    new Map(rows.map((r) => [r.domain_id, { current: cents(r.current), previous: cents(r.previous) }]));
  return { revenue: toMap(revenue.rows), mrr: toMap(mrr.rows) };
}
