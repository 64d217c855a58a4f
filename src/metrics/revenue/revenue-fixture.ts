import { stripeEvent } from '../../ingest/stripe/stripe-fixtures.ts';
import { pricedSubscription, startRevenueMetricsTestApp } from './revenue-metrics-test-app.ts';

// One hand-worked portfolio, written through the real ingestion paths (signed Stripe webhooks,
// the revenue API, the costs CSV import; channel-tagged costs by SQL, as the import has no
// channel column yet). Every expected figure is worked out in the comments.
//
// fixie.run (A), subscriptions (EUR a month):
//   Feb 01 sub_a1 cus_1 30 — new        Feb 10 sub_a2 cus_2 €240/year = 20 — new
//   Feb 15 sub_a3 cus_3 10 — new        Feb 20 sub_a3 deleted — churn 10
//   Mar 05 sub_a1 → 60 — expansion 30   (Mar 03 update to 99 arrives late: stale)
//   Mar 08 sub_a4 cus_4 40 'Paid Search' — new (delivered twice)
//   Mar 12 sub_a2 past_due — still counted, no movement
//   Mar 15 sub_a5 cus_3 15 — reactivation (cus_3 paid in February)
//   Mar 18 sub_a6 cus_5 25 trialing — not counted
//   Mar 20 sub_a2 deleted — churn 20     Mar 25 sub_a4 → 35 — contraction 5
//   1 March: 30 + 20 = 50 (2 customers); 31 March: 60 + 35 + 15 = 110 (3 customers)
// seobiz.be (B):
//   Jan 10 sub_b1 cus_1 $100 = €86 (same Stripe customer id as on A: another customer)
//   Mar 10 sub_b2 cus_9 50 'paid search' — new
//   1 March: 86 (1 customer); 31 March: 136 (2 customers)
// Revenue: A earns 60 (subscription) + 100 (order) − 10 (refund) = 150 in March, 50 pending,
//   40 reversed and 5 failed (never counted), 80 on 20 February; B earns $100 = €86 in March.
// Costs in March: A marketing 100 (no channel) + 200 (Paid Search), cogs 30; B marketing 150
//   (Paid Search); 50 portfolio-wide marketing; A's 999 of February is outside March.
export const A = 'fixie.run';
export const B = 'seobiz.be';
export const MARCH = 'from=2026-03-01&to=2026-03-31';

/** A test app over a fresh database holding the portfolio above, and tokens of readers limited to A. */
export async function startRevenueFixture() {
  const t = await startRevenueMetricsTestApp([A, B]);
  const sub = (type: string, at: string, o: Parameters<typeof pricedSubscription>[0]) =>
    stripeEvent(type, pricedSubscription(o), { created: Date.parse(at) / 1000 });
  const a1 = { id: 'sub_a1', customer: 'cus_1', start: '2026-02-01T10:00:00Z' };
  const a2 = {
    id: 'sub_a2',
    customer: 'cus_2',
    start: '2026-02-10T10:00:00Z',
    cents: 24_000,
    interval: 'year' as const,
  };
  const a3 = { id: 'sub_a3', customer: 'cus_3', start: '2026-02-15T10:00:00Z', cents: 1000 };
  const a4 = { id: 'sub_a4', customer: 'cus_4', start: '2026-03-08T10:00:00Z', channel: 'Paid Search' };
  const created4 = sub('customer.subscription.created', a4.start, { ...a4, cents: 4000 });
  const deliveries: [string, ReturnType<typeof sub>][] = [
    [
      B,
      sub('customer.subscription.created', '2026-01-10T10:00:00Z', {
        id: 'sub_b1',
        customer: 'cus_1',
        cents: 10_000,
        currency: 'usd',
        start: '2026-01-10T10:00:00Z',
      }),
    ],
    [A, sub('customer.subscription.created', a1.start, { ...a1, cents: 3000 })],
    [A, sub('customer.subscription.created', a2.start, a2)],
    [A, sub('customer.subscription.created', a3.start, a3)],
    [
      A,
      sub('customer.subscription.deleted', '2026-02-20T10:00:00Z', {
        ...a3,
        status: 'canceled',
        endedAt: '2026-02-20T10:00:00Z',
      }),
    ],
    [A, sub('customer.subscription.updated', '2026-03-05T10:00:00Z', { ...a1, cents: 6000 })],
    [A, sub('customer.subscription.updated', '2026-03-03T10:00:00Z', { ...a1, cents: 9900 })],
    [A, created4],
    [A, created4],
    [A, sub('customer.subscription.updated', '2026-03-12T10:00:00Z', { ...a2, status: 'past_due' })],
    [
      B,
      sub('customer.subscription.created', '2026-03-10T10:00:00Z', {
        id: 'sub_b2',
        customer: 'cus_9',
        cents: 5000,
        start: '2026-03-10T10:00:00Z',
        channel: 'paid search',
      }),
    ],
    [
      A,
      sub('customer.subscription.created', '2026-03-15T10:00:00Z', {
        id: 'sub_a5',
        customer: 'cus_3',
        cents: 1500,
        start: '2026-03-15T10:00:00Z',
      }),
    ],
    [
      A,
      sub('customer.subscription.created', '2026-03-18T10:00:00Z', {
        id: 'sub_a6',
        customer: 'cus_5',
        cents: 2500,
        status: 'trialing',
        start: '2026-03-18T10:00:00Z',
        trialEnd: '2026-04-18T10:00:00Z',
      }),
    ],
    [
      A,
      sub('customer.subscription.deleted', '2026-03-20T10:00:00Z', {
        ...a2,
        status: 'canceled',
        endedAt: '2026-03-20T10:00:00Z',
      }),
    ],
    [A, sub('customer.subscription.updated', '2026-03-25T10:00:00Z', { ...a4, cents: 3500 })],
  ];
  for (const [host, event] of deliveries) await t.deliver(host, event);

  const revenue = await t.request('POST', '/api/v1/revenue/batch', {
    token: t.ownerToken,
    body: {
      items: [
        {
          domain: A,
          kind: 'order',
          amount: '80',
          currency: 'EUR',
          occurredAt: '2026-02-20T12:00:00Z',
          externalId: 'r0',
        },
        {
          domain: A,
          kind: 'subscription',
          amount: '60',
          currency: 'EUR',
          occurredAt: '2026-03-05T12:00:00Z',
          externalId: 'r1',
          status: 'paid',
          stream: 'fixie-run-subscriptions',
        },
        {
          domain: A,
          kind: 'order',
          amount: '100',
          currency: 'EUR',
          occurredAt: '2026-03-10T23:30:00Z',
          externalId: 'r2',
        },
        {
          domain: A,
          kind: 'refund',
          amount: '10',
          currency: 'EUR',
          occurredAt: '2026-03-12T12:00:00Z',
          externalId: 'r3',
        },
        {
          domain: A,
          kind: 'affiliate',
          amount: '50',
          currency: 'EUR',
          occurredAt: '2026-03-15T12:00:00Z',
          externalId: 'r4',
          stream: 'affiliate-commissions',
        },
        {
          domain: A,
          kind: 'affiliate',
          amount: '40',
          currency: 'EUR',
          occurredAt: '2026-03-16T12:00:00Z',
          externalId: 'r5',
          status: 'reversed',
          stream: 'affiliate-commissions',
        },
        {
          domain: A,
          kind: 'order',
          amount: '5',
          currency: 'EUR',
          occurredAt: '2026-03-17T12:00:00Z',
          externalId: 'r6',
          status: 'failed',
        },
        // $100 at 0.86 = €86
        {
          domain: B,
          kind: 'subscription',
          amount: '100',
          currency: 'USD',
          occurredAt: '2026-03-10T08:00:00Z',
          externalId: 'r7',
          status: 'paid',
          stream: 'seo-saas-platform',
        },
      ],
    },
  });
  if (revenue.status !== 201) throw new Error(`revenue batch: ${revenue.text}`);

  const csv = [
    'date,category,amount,currency,domain,description,external_id',
    `2026-03-03,marketing,100,EUR,${A},Newsletter sponsorship,c1`,
    `2026-03-04,cogs,30,EUR,${A},Stripe fees,c2`,
    `2026-02-15,marketing,999,EUR,${A},February ads,c3`,
    '2026-03-31,marketing,50,EUR,,Brand campaign,c4',
  ].join('\n');
  const imported = await t.request('POST', '/api/v1/import/costs', {
    token: t.ownerToken,
    raw: csv,
    contentType: 'text/csv',
  });
  if (imported.json?.inserted !== 4) throw new Error(`costs import: ${imported.text}`);
  await t.db.query(
    `INSERT INTO costs (domain_id, category, amount, currency, eur_per_unit, amount_eur, incurred_on, source, external_id, channel)
       SELECT d.id, 'marketing', v.amount, 'EUR', 1, v.amount, v.day::date, 'test', v.id, 'Paid Search'
         FROM (VALUES ($1, 200, '2026-03-10', 'k1'), ($2, 150, '2026-03-11', 'k2')) AS v(host, amount, day, id)
         JOIN domains d ON d.host = v.host`,
    [A, B],
  );
  return {
    t,
    analystA: await t.createOperator('analyst-a@example.com', 'analyst', [A]),
    secretA: await t.createKey(A, 'secret'),
    publicA: await t.createKey(A, 'public'),
  };
}
