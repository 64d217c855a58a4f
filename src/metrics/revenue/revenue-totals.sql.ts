import type { Queryable } from '../../db/types.ts';

// Earned revenue is completed, approved or paid (ADR 0008); pending is reported on its own;
// reversed and failed never count. Refund rows are negative, so sums are net of refunds.
const SELECT_REVENUE_TOTALS_SQL = `
SELECT CASE WHEN r.occurred_at >= $2 AND r.occurred_at < $3 THEN 'current' ELSE 'previous' END AS period,
       r.domain_id, r.stream, r.kind,
       r.status = 'pending' AS pending,
       sum(r.amount_eur) AS amount_eur,
       count(*)::int AS n
  FROM revenue r
 WHERE r.domain_id = ANY ($1::uuid[])
   AND r.status IN ('completed', 'approved', 'paid', 'pending')
   AND ((r.occurred_at >= $2 AND r.occurred_at < $3) OR (r.occurred_at >= $4 AND r.occurred_at < $5))
 GROUP BY 1, 2, 3, 4, 5`;

export interface RevenueTotalRow {
  period: 'current' | 'previous';
  domainId: string;
  stream: string | null;
  kind: string;
  pending: boolean;
  /** EUR, as PostgreSQL's exact numeric text. */
  amountEur: string;
  count: number;
}

export interface Interval {
  start: Date;
  end: Date;
}

/** Revenue of the domains per range, domain, stream, kind and pending-or-earned. */
export async function selectRevenueTotals(
  tx: Queryable,
  input: { domainIds: readonly string[]; current: Interval; previous: Interval | null },
): Promise<RevenueTotalRow[]> {
  // No comparison: an empty second interval.
  const previous = input.previous ?? { start: input.current.start, end: input.current.start };
  const res = await tx.query<{
    period: 'current' | 'previous';
    domain_id: string;
    stream: string | null;
    kind: string;
    pending: boolean;
    amount_eur: string;
    n: number;
  }>(SELECT_REVENUE_TOTALS_SQL, [
    input.domainIds,
    input.current.start,
    input.current.end,
    previous.start,
    previous.end,
  ]);
  return res.rows.map((r) => ({
    period: r.period,
    domainId: r.domain_id,
    stream: r.stream,
    kind: r.kind,
    pending: r.pending,
    amountEur: r.amount_eur,
    count: r.n,
  }));
}
