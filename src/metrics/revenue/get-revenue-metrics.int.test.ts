import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeIntegration } from '../../test-support/integration.ts';
import { A, B, MARCH, startRevenueFixture } from './revenue-fixture.ts';
import type { RevenueMetricsTestApp } from './revenue-metrics-test-app.ts';

// Expected figures are worked out in revenue-fixture.ts and in the comments below.
describeIntegration('revenue metrics', () => {
  let t: RevenueMetricsTestApp;
  let analystA: string;
  beforeAll(async () => {
    ({ t, analystA } = await startRevenueFixture());
  });
  afterAll(async () => {
    await t?.close();
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

  it('documents both endpoints in OpenAPI, from the same schemas', () => {
    const paths = t.openapi().paths;
    for (const path of ['/api/v1/metrics/revenue', '/api/v1/metrics/revenue/mrr']) {
      expect(paths[path]?.get).toMatchObject({ tags: ['metrics'], responses: { 200: expect.anything() } });
    }
  });
});
