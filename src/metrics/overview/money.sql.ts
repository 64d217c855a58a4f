import type { Tx } from '../../db/types.ts';
import { centsOfNumeric } from '../../ingest/revenue/money.ts';
import type { DateRange } from '../metric-query.ts';

// The overview's revenue and MRR in one statement, the same figures the revenue verbs give
// (docs/metrics.md "Revenue") without their series, movements and unit economics. The sums run in
// app_overview_money (migration 0008), which checks the caller's scope once per domain instead of
// once per row: on PGlite the per-row policy check was most of a year's overview.
const MONEY_SQL = `
SELECT domain_id::text AS domain_id, revenue_current::text, revenue_previous::text, mrr_current::text,
       mrr_previous::text
  FROM app_overview_money($1::uuid[], $2, $3, $4, $5)`;

interface Pair {
  current: number;
  previous: number;
}

export interface MoneyFigures {
  /** Cents per domain id: earned revenue net of refunds over each range. */
  revenue: Map<string, Pair>;
  /** Cents per domain id: MRR at the end of each range. */
  mrr: Map<string, Pair>;
}

const cents = (text: string) => Number(centsOfNumeric(text));

/** Revenue over the range and the previous one; MRR at the end of each (without one: an empty previous range). */
export async function selectOverviewMoney(
  tx: Tx,
  domainIds: readonly string[],
  range: DateRange,
  previous: DateRange | null,
): Promise<MoneyFigures> {
  const prev = previous ?? { start: range.start, end: range.start };
  const res = await tx.query<{
    domain_id: string;
    revenue_current: string;
    revenue_previous: string;
    mrr_current: string;
    mrr_previous: string;
  }>(MONEY_SQL, [domainIds, range.start, range.end, prev.start, prev.end]);
  const out: MoneyFigures = { revenue: new Map(), mrr: new Map() };
  for (const r of res.rows) {
    out.revenue.set(r.domain_id, { current: cents(r.revenue_current), previous: cents(r.revenue_previous) });
    out.mrr.set(r.domain_id, { current: cents(r.mrr_current), previous: cents(r.mrr_previous) });
  }
  return out;
}
