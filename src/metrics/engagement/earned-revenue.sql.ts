import type { Queryable } from '../../db/types.ts';

// Earned revenue in EUR between two instants, net of refunds (stored negative). Earned statuses are
// those of ADR 0008: completed, approved, paid (pending, failed and reversed are not revenue).
const EARNED_REVENUE_SQL = `
SELECT coalesce(sum(amount_eur), 0)::text AS eur
  FROM revenue
 WHERE domain_id = ANY ($1::uuid[]) AND occurred_at >= $2 AND occurred_at < $3
   AND status IN ('completed', 'approved', 'paid')`;

export async function sumEarnedRevenue(
  tx: Queryable,
  domainIds: readonly string[],
  start: Date,
  end: Date,
): Promise<number> {
  const res = await tx.query<{ eur: string }>(EARNED_REVENUE_SQL, [domainIds, start, end]);
  return Number(res.rows[0]?.eur ?? 0);
}
