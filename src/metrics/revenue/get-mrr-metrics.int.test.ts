import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeIntegration } from '../../test-support/integration.ts';
import { A, B, MARCH, startRevenueFixture } from './revenue-fixture.ts';
import type { RevenueMetricsTestApp } from './revenue-metrics-test-app.ts';

// Expected figures are worked out in revenue-fixture.ts and in the comments below.
describeIntegration('MRR metrics', () => {
  let t: RevenueMetricsTestApp;
  let analystA: string;
  let secretA: string;
  let publicA: string;
  beforeAll(async () => {
    ({ t, analystA, secretA, publicA } = await startRevenueFixture());
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
});
