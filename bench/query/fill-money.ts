// Revenue and subscriptions for the year, so the overview's revenue and MRR figures read real
// tables too: about 100 orders a day across the domains and 1,500 subscriptions with their history.
import type { Db } from '../../src/db/types.ts';

const ORDERS_SQL = `
INSERT INTO revenue (domain_id, kind, amount, currency, amount_eur, occurred_at, source, external_id)
SELECT d.ids[1 + (g % cardinality(d.ids))], 'order', 20 + (g % 80), 'EUR', 20 + (g % 80),
       $2::timestamptz + (g * 86400.0 / 100) * interval '1 second', 'bench', 'order-' || g
  FROM (SELECT $1::uuid[] AS ids) d, generate_series(0, $3::int * 100 - 1) AS g`;

const SUBSCRIPTIONS_SQL = `
WITH s AS (
  INSERT INTO subscriptions (domain_id, external_id, customer_id, plan, status, mrr_eur, started_at, canceled_at)
  SELECT d.ids[1 + (g % cardinality(d.ids))], 'sub-' || g, 'cus-' || g, 'monthly',
         CASE WHEN g % 7 = 0 THEN 'canceled' ELSE 'active' END, 5 + (g % 20),
         $2::timestamptz + (g * $3::int * 86400.0 / 1500) * interval '1 second',
         CASE WHEN g % 7 = 0 THEN $2::timestamptz + (g * $3::int * 86400.0 / 1500 + 30 * 86400) * interval '1 second' END
    FROM (SELECT $1::uuid[] AS ids) d, generate_series(0, 1499) AS g
  RETURNING id, domain_id, customer_id, mrr_eur, started_at, canceled_at
)
INSERT INTO subscription_changes (domain_id, subscription_id, customer_id, at, mrr_before, mrr_after, status_before, status_after)
SELECT domain_id, id, customer_id, started_at, 0, mrr_eur, NULL, 'active' FROM s
UNION ALL
SELECT domain_id, id, customer_id, canceled_at, mrr_eur, 0, 'active', 'canceled' FROM s WHERE canceled_at IS NOT NULL`;

export async function fillMoney(
  db: Db,
  opts: { domains: { id: string }[]; days: number; end: Date },
): Promise<void> {
  const start = new Date(opts.end.getTime() - opts.days * 86_400_000);
  const ids = opts.domains.map((d) => d.id);
  await db.query(ORDERS_SQL, [ids, start, opts.days]);
  await db.query(SUBSCRIPTIONS_SQL, [ids, start, opts.days]);
}
