import type { Queryable } from '../db/types.ts';

// Every category, portfolio-wide costs included: burn is what the whole portfolio spends. Row-level
// security would hide other domains' and portfolio-wide rows from a limited scope, but KPIs run
// only for callers who see every domain.
const SUM_COSTS_SQL = `
SELECT coalesce(sum(amount_eur), 0)::text AS eur
  FROM costs
 WHERE incurred_on BETWEEN $1::date AND $2::date`;

/** Σ costs over calendar days [from, to], EUR. */
export async function sumCosts(tx: Queryable, input: { from: string; to: string }): Promise<number> {
  const res = await tx.query<{ eur: string }>(SUM_COSTS_SQL, [input.from, input.to]);
  return Number(res.rows[0]?.eur ?? 0);
}
