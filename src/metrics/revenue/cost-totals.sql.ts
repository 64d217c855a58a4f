import type { Queryable } from '../../db/types.ts';

// Costs are dated by calendar day (incurred_on), so the range's days compare directly. A
// portfolio-wide cost (no domain) counts only when the query covers every domain; row-level
// security hides those rows from a caller limited to some domains anyway.
const SELECT_COST_TOTALS_SQL = `
SELECT c.domain_id, c.category, c.channel, sum(c.amount_eur) AS amount_eur
  FROM costs c
 WHERE (c.domain_id = ANY ($1::uuid[]) OR ($4::boolean AND c.domain_id IS NULL))
   AND c.category IN ('marketing', 'cogs')
   AND c.incurred_on BETWEEN $2::date AND $3::date
 GROUP BY 1, 2, 3`;

export interface CostTotalRow {
  /** null: a portfolio-wide cost. */
  domainId: string | null;
  category: 'marketing' | 'cogs';
  channel: string | null;
  amountEur: string;
}

/** Marketing and cost-of-goods costs per domain (and channel) over calendar days [from, to]. */
export async function selectCostTotals(
  tx: Queryable,
  input: { domainIds: readonly string[]; from: string; to: string; includePortfolioWide: boolean },
): Promise<CostTotalRow[]> {
  const res = await tx.query<{
    domain_id: string | null;
    category: 'marketing' | 'cogs';
    channel: string | null;
    amount_eur: string;
  }>(SELECT_COST_TOTALS_SQL, [input.domainIds, input.from, input.to, input.includePortfolioWide]);
  return res.rows.map((r) => ({
    domainId: r.domain_id,
    category: r.category,
    channel: r.channel,
    amountEur: r.amount_eur,
  }));
}
