import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripeEvent } from '../../ingest/stripe/stripe-fixtures.ts';
import { describeIntegration } from '../../test-support/integration.ts';
import {
  pricedSubscription,
  type RevenueMetricsTestApp,
  startRevenueMetricsTestApp,
} from './revenue-metrics-test-app.ts';

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
const A = 'fixie.run';
const B = 'seobiz.be';
const MARCH = 'from=2026-03-01&to=2026-03-31';

describeIntegration('revenue metrics', () => {
  let t: RevenueMetricsTestApp;
  let analystA: string;
  let secretA: string;
  let publicA: string;

  beforeAll(async () => {
    t = await startRevenueMetricsTestApp([A, B]);
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
    expect(revenue.status, revenue.text).toBe(201);

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
    expect(imported.json.inserted, imported.text).toBe(4);
    await t.db.query(
      `INSERT INTO costs (domain_id, category, amount, currency, eur_per_unit, amount_eur, incurred_on, source, external_id, channel)
       SELECT d.id, 'marketing', v.amount, 'EUR', 1, v.amount, v.day::date, 'test', v.id, 'Paid Search'
         FROM (VALUES ($1, 200, '2026-03-10', 'k1'), ($2, 150, '2026-03-11', 'k2')) AS v(host, amount, day, id)
         JOIN domains d ON d.host = v.host`,
      [A, B],
    );
    analystA = await t.createOperator('analyst-a@example.com', 'analyst', [A]);
    secretA = await t.createKey(A, 'secret');
    publicA = await t.createKey(A, 'public');
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('GET /api/v1/metrics/revenue/mrr', () => {
    it('reports MRR, movements, churn, retention and unit economics of every domain together', async () => {
      const res = await t.metrics(`/api/v1/metrics/revenue/mrr?${MARCH}`);
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      const f = res.json.total;
      // End 110 + 136 = 246 over 5 customers; start 50 + 86 = 136 over 3.
      expect(f).toMatchObject({
        mrr: 246,
        arr: 2952,
        payingCustomers: 5,
        arpa: 49.2,
        start: { mrr: 136, payingCustomers: 3 },
        // 136 + 90 + 30 + 15 − 5 − 20 = 246
        movements: { new: 90, expansion: 30, reactivation: 15, contraction: 5, churn: 20, net: 110 },
        customers: { new: 2, reactivated: 1, expanded: 1, contracted: 1, churned: 1 },
        // A yearly plan on a calendar month: revenue A 60 + 100 − 10 = 150, B 86.
        revenue: 236,
        cogs: 30,
        // 100 + 200 (A) + 150 (B) + 50 portfolio-wide; 2 new customers.
        marketing: 500,
        cac: 250,
        // ARPA 49.2 ÷ monthly churn 1/3
        clv: 147.6,
        channels: [
          { channel: 'Paid Search', marketing: 350, newCustomers: 2, cac: 175 },
          { channel: null, marketing: 150, newCustomers: 0, cac: null },
        ],
      });
      expect(f.customerChurnRate).toBeCloseTo(1 / 3, 12); // cus_2 of 3 paying on 1 March
      expect(f.monthlyCustomerChurnRate).toBeCloseTo(1 / 3, 12); // March is one whole month
      expect(f.grossMrrChurn).toBeCloseTo(25 / 136, 12); // (20 + 5) ÷ 136
      expect(f.netMrrChurn).toBeCloseTo(-20 / 136, 12); // (20 + 5 − 30 − 15) ÷ 136
      expect(f.netRevenueRetention).toBeCloseTo(146 / 136, 12); // cus_1 60 + cus_2 0 + B's cus_1 86
      expect(f.grossMargin).toBeCloseTo(206 / 236, 12); // (236 − 30) ÷ 236
      expect(f.clvToCac).toBeCloseTo(147.6 / 250, 12);
      expect(f.paybackMonths).toBeCloseTo(250 / 49.2, 12);
      expect(res.json.portfolioWideCosts).toEqual({ marketing: 50, cogs: 0 });
      expect(res.json.at).toBe('2026-04-01T00:00:00.000Z');
      expect(res.json.bridge).toEqual([
        {
          month: '2026-03',
          start: 136,
          new: 90,
          expansion: 30,
          reactivation: 15,
          contraction: 5,
          churn: 20,
          end: 246,
        },
      ]);
    });

    it('gives each domain its own figures', async () => {
      const res = await t.metrics(`/api/v1/metrics/revenue/mrr?${MARCH}`);
      const of = (host: string) =>
        res.json.byDomain.find((d: { domain: { host: string } }) => d.domain.host === host)?.current;
      const a = of(A);
      // A: 110 over cus_1, cus_4, cus_3: ARPA 36.67; 1 churned of 2: CLV 36.666… ÷ 0.5; CAC 300 ÷ 1.
      expect(a).toMatchObject({
        mrr: 110,
        payingCustomers: 3,
        arpa: 36.67,
        customerChurnRate: 0.5,
        grossMrrChurn: 0.5,
        clv: 73.33,
        revenue: 150,
        grossMargin: 0.8,
        marketing: 300,
        cac: 300,
        channels: [
          { channel: 'Paid Search', marketing: 200, newCustomers: 1, cac: 200 },
          { channel: null, marketing: 100, newCustomers: 0, cac: null },
        ],
      });
      expect(a.netRevenueRetention).toBeCloseTo(1.2, 12); // cus_1 60 + cus_2 0 over 50
      expect(a.paybackMonths).toBeCloseTo(300 / (110 / 3), 12);
      const b = of(B);
      // B: nobody churned, so no finite lifetime: CLV and CLV:CAC are null, not Infinity.
      expect(b).toMatchObject({
        mrr: 136,
        payingCustomers: 2,
        arpa: 68,
        customerChurnRate: 0,
        monthlyCustomerChurnRate: 0,
        clv: null,
        clvToCac: null,
        netRevenueRetention: 1,
        grossMargin: 1,
        marketing: 150,
        cac: 150,
        channels: [{ channel: 'Paid Search', marketing: 150, newCustomers: 1, cac: 150 }],
      });
      expect(b.paybackMonths).toBeCloseTo(150 / 68, 12);
      // A domain without subscriptions: zeros, and null for every ratio.
      expect(of('puffs-store.com')).toMatchObject({
        mrr: 0,
        payingCustomers: 0,
        arpa: null,
        customerChurnRate: null,
        netRevenueRetention: null,
        cac: null,
      });
    });

    it('compares with the previous period', async () => {
      const res = await t.metrics(`/api/v1/metrics/revenue/mrr?${MARCH}&compare=previous_period`);
      expect(res.json.previous).toEqual({ from: '2026-01-29', to: '2026-02-28', tz: 'UTC', days: 31 });
      // 29 Jan – 28 Feb: start 86 (B); new 30 + 20 + 10, churn 10: end 136 over 3 customers.
      // Revenue 80 (r0); marketing 999 for 3 new customers.
      expect(res.json.previousTotal).toMatchObject({
        mrr: 136,
        payingCustomers: 3,
        start: { mrr: 86, payingCustomers: 1 },
        movements: { new: 60, expansion: 0, reactivation: 0, contraction: 0, churn: 10 },
        revenue: 80,
        marketing: 999,
        cac: 333,
      });
      expect(res.json.change.mrr).toBeCloseTo(110 / 136, 12); // (246 − 136) ÷ 136
      expect(res.json.change.revenue).toBeCloseTo(1.95, 12); // (236 − 80) ÷ 80
    });

    it('bridges month by month', async () => {
      const res = await t.metrics('/api/v1/metrics/revenue/mrr?from=2026-02-01&to=2026-03-31&compare=none');
      expect(res.json.previousTotal).toBeNull();
      expect(res.json.bridge).toEqual([
        {
          month: '2026-02',
          start: 86,
          new: 60,
          expansion: 0,
          reactivation: 0,
          contraction: 0,
          churn: 10,
          end: 136,
        },
        {
          month: '2026-03',
          start: 136,
          new: 90,
          expansion: 30,
          reactivation: 15,
          contraction: 5,
          churn: 20,
          end: 246,
        },
      ]);
    });

    it('filters domains, leaving portfolio-wide costs out', async () => {
      const res = await t.metrics(`/api/v1/metrics/revenue/mrr?${MARCH}&domains=${B}`);
      expect(res.json.domains.map((d: { host: string }) => d.host)).toEqual([B]);
      expect(res.json.total).toMatchObject({ mrr: 136, marketing: 150, cac: 150 });
      expect(res.json.portfolioWideCosts).toBeNull();
      const both = await t.metrics(`/api/v1/metrics/revenue/mrr?${MARCH}&domains=${A},${B}`);
      // 100 + 200 + 150: the €50 portfolio-wide campaign is not one of these domains'.
      expect(both.json.total).toMatchObject({ mrr: 246, marketing: 450, cac: 225 });
    });

    it("never shows a domain-limited reader another domain's money", async () => {
      for (const token of [analystA, secretA]) {
        const res = await t.metrics(`/api/v1/metrics/revenue/mrr?${MARCH}`, token);
        expect(res.status).toBe(200);
        expect(res.json.domains.map((d: { host: string }) => d.host)).toEqual([A]);
        // A alone; the portfolio-wide €50 is invisible to it.
        expect(res.json.total).toMatchObject({ mrr: 110, payingCustomers: 3, marketing: 300, revenue: 150 });
        expect(res.json.portfolioWideCosts).toBeNull();
        const other = await t.metrics(`/api/v1/metrics/revenue/mrr?${MARCH}&domains=${B}`, token);
        expect(other.status).toBe(404);
        expect(other.json.error).toMatchObject({ code: 'not_found', field: 'domains' });
      }
      expect((await t.metrics(`/api/v1/metrics/revenue/mrr?${MARCH}`, publicA)).status).toBe(403);
    });

    it('rejects an impossible range', async () => {
      const res = await t.metrics('/api/v1/metrics/revenue/mrr?from=2026-03-31&to=2026-03-01');
      expect(res.status).toBe(400);
      expect(res.json.error.field).toBe('from');
    });
  });

  describe('GET /api/v1/metrics/revenue', () => {
    it('sums earned revenue net of refunds, pending apart, by domain, stream and kind', async () => {
      const res = await t.metrics(`/api/v1/metrics/revenue?${MARCH}`);
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      // Earned: 60 + 100 − 10 (A) + 86 (B); pending 50; reversed 40 and failed 5 never count.
      expect(res.json.total).toEqual({ net: 236, gross: 246, refunds: 10, pending: 50, count: 4 });
      expect(res.json.previousTotal).toMatchObject({ net: 80 });
      expect(res.json.change).toBeCloseTo(1.95, 12); // (236 − 80) ÷ 80
      const domain = (host: string) =>
        res.json.byDomain.find((d: { domain: { host: string } }) => d.domain.host === host);
      expect(domain(A)).toMatchObject({
        net: 150,
        gross: 160,
        refunds: 10,
        pending: 50,
        count: 3,
        previousNet: 80,
        change: 0.875,
      });
      expect(domain(B)).toMatchObject({ net: 86, previousNet: 0, change: null });
      const streams = res.json.byStream.map((s: { stream: string | null; net: number; pending: number }) => [
        s.stream,
        s.net,
        s.pending,
      ]);
      expect(streams).toEqual([
        ['mushroom-ecommerce', 0, 0],
        ['fixie-run-subscriptions', 60, 0],
        ['nft-marketplace-fees', 0, 0],
        ['seo-saas-platform', 86, 0],
        ['affiliate-commissions', 0, 50],
        [null, 90, 0],
      ]);
      const fixie = res.json.byStream[1];
      // 48,000 a year × 31 ÷ 365 = 4,076.71; 60 × 365 ÷ 31 = 706.45 a year.
      expect(fixie.target).toMatchObject({ annual: 48_000, planned: 0, forRange: 4076.71, runRate: 706.45 });
      expect(fixie.target.progress).toBeCloseTo(60 / ((48_000 * 31) / 365), 12);
      expect(
        res.json.byKind.map((k: { kind: string; net: number; refunds: number; pending: number }) => [
          k.kind,
          k.net,
          k.refunds,
          k.pending,
        ]),
      ).toEqual([
        ['affiliate', 0, 0, 50],
        ['order', 100, 0, 0],
        ['refund', -10, 10, 0],
        ['subscription', 146, 0, 0],
      ]);
    });

    it('gives a series per day, week or month, in the asked time zone', async () => {
      const daily = await t.metrics(`/api/v1/metrics/revenue?${MARCH}`);
      expect(daily.json.interval).toBe('day');
      expect(daily.json.series).toHaveLength(31);
      expect(daily.json.previousSeries).toHaveLength(31);
      const day = (s: { date: string; net: number }[], date: string) => s.find((p) => p.date === date);
      expect(day(daily.json.series, '2026-03-05')).toEqual({ date: '2026-03-05', net: 60, pending: 0 });
      expect(day(daily.json.series, '2026-03-10')).toEqual({ date: '2026-03-10', net: 186, pending: 0 });
      expect(day(daily.json.series, '2026-03-12')).toEqual({ date: '2026-03-12', net: -10, pending: 0 });
      expect(day(daily.json.series, '2026-03-15')).toEqual({ date: '2026-03-15', net: 0, pending: 50 });
      // 23:30 UTC on 10 March is 00:30 on the 11th in Brussels.
      const brussels = await t.metrics(`/api/v1/metrics/revenue?${MARCH}&tz=Europe/Brussels`);
      expect(day(brussels.json.series, '2026-03-10')?.net).toBe(86);
      expect(day(brussels.json.series, '2026-03-11')?.net).toBe(100);
      const weekly = await t.metrics(`/api/v1/metrics/revenue?${MARCH}&interval=week&compare=none`);
      expect(weekly.json.previousSeries).toBeNull();
      expect(weekly.json.series).toEqual([
        { date: '2026-02-23', net: 0, pending: 0 },
        { date: '2026-03-02', net: 60, pending: 0 },
        { date: '2026-03-09', net: 176, pending: 50 }, // 100 + 86 − 10
        { date: '2026-03-16', net: 0, pending: 0 },
        { date: '2026-03-23', net: 0, pending: 0 },
        { date: '2026-03-30', net: 0, pending: 0 },
      ]);
      const monthly = await t.metrics(`/api/v1/metrics/revenue?${MARCH}&interval=month`);
      expect(monthly.json.series).toEqual([{ date: '2026-03-01', net: 236, pending: 50 }]);
    });

    it('limits a domain-limited reader to its domain and its streams', async () => {
      const res = await t.metrics(`/api/v1/metrics/revenue?${MARCH}`, analystA);
      expect(res.json.domains.map((d: { host: string }) => d.host)).toEqual([A]);
      expect(res.json.total).toMatchObject({ net: 150, pending: 50 });
      // The cross-platform stream is a portfolio-wide plan: its id shows (revenue of A), its target does not.
      expect(
        res.json.byStream.map((s: { stream: string | null; net: number; target: unknown }) => [
          s.stream,
          s.net,
          s.target === null,
        ]),
      ).toEqual([
        ['fixie-run-subscriptions', 60, false],
        ['affiliate-commissions', 0, true],
        [null, 90, true],
      ]);
      expect((await t.metrics(`/api/v1/metrics/revenue?${MARCH}&domains=${B}`, analystA)).status).toBe(404);
    });
  });
});
