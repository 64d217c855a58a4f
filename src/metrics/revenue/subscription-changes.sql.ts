import type { Queryable } from '../../db/types.ts';
import { centsOfNumeric } from '../../ingest/revenue/money.ts';
import type { CustomerStart, MrrChange } from './mrr-movements.ts';

// A subscription's customer is the one Stripe names (it never changes in Stripe); without one,
// the subscription is its own customer. Rows chain per subscription, so MRR before an instant
// is the sum of the deltas before it.
const CUSTOMER = `coalesce(s.customer_id, 'subscription:' || s.external_id)`;

const SELECT_CUSTOMERS_AT_SQL = `
SELECT c.domain_id, ${CUSTOMER} AS customer,
       sum(c.mrr_after - c.mrr_before) AS mrr_eur,
       bool_or(c.mrr_after > 0) AS has_paid
  FROM subscription_changes c
  JOIN subscriptions s ON s.id = c.subscription_id
 WHERE c.domain_id = ANY ($1::uuid[]) AND c.at < $2
 GROUP BY 1, 2`;

const SELECT_MRR_CHANGES_SQL = `
SELECT c.domain_id, ${CUSTOMER} AS customer, c.at, c.mrr_after - c.mrr_before AS delta_eur, s.channel
  FROM subscription_changes c
  JOIN subscriptions s ON s.id = c.subscription_id
 WHERE c.domain_id = ANY ($1::uuid[]) AND c.at >= $2 AND c.at < $3
 ORDER BY c.at, c.id`;

/** Every customer that ever had a subscription change before `at`, with its MRR at that instant. */
export async function selectCustomersAt(
  tx: Queryable,
  input: { domainIds: readonly string[]; at: Date },
): Promise<CustomerStart[]> {
  const res = await tx.query<{ domain_id: string; customer: string; mrr_eur: string; has_paid: boolean }>(
    SELECT_CUSTOMERS_AT_SQL,
    [input.domainIds, input.at],
  );
  return res.rows.map((r) => ({
    domainId: r.domain_id,
    customer: r.customer,
    mrrCents: Number(centsOfNumeric(r.mrr_eur)),
    hasPaid: r.has_paid,
  }));
}

/** The changes in [start, end), in the order they happened. */
export async function selectMrrChanges(
  tx: Queryable,
  input: { domainIds: readonly string[]; start: Date; end: Date },
): Promise<MrrChange[]> {
  const res = await tx.query<{
    domain_id: string;
    customer: string;
    at: Date;
    delta_eur: string;
    channel: string | null;
  }>(SELECT_MRR_CHANGES_SQL, [input.domainIds, input.start, input.end]);
  return res.rows.map((r) => ({
    domainId: r.domain_id,
    customer: r.customer,
    at: r.at,
    deltaCents: Number(centsOfNumeric(r.delta_eur)),
    channel: r.channel,
  }));
}
