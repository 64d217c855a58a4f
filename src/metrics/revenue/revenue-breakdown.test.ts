import { describe, expect, it } from 'vitest';
import type { RevenueStream } from '../../config/portfolio/revenue-streams.ts';
import { revenueBreakdown, streamTarget } from './revenue-breakdown.ts';
import type { RevenueTotalRow } from './revenue-totals.sql.ts';

const A = { id: 'a', host: 'a.example', name: 'A' };
const B = { id: 'b', host: 'b.example', name: 'B' };
const row = (over: Partial<RevenueTotalRow>): RevenueTotalRow => ({
  period: 'current',
  domainId: 'a',
  stream: null,
  kind: 'order',
  pending: false,
  amountEur: '0',
  count: 1,
  ...over,
});
const stream = (id: string, domain: string | undefined, targetRevenue: number) =>
  ({
    id,
    name: id.toUpperCase(),
    domain,
    crossPlatform: domain ? undefined : true,
    targetRevenue,
    currentRevenue: 1000,
  }) as RevenueStream;

describe('revenueBreakdown', () => {
  const rows = [
    row({ stream: 's1', kind: 'subscription', amountEur: '60.00' }),
    row({ kind: 'order', amountEur: '100.00', count: 2 }),
    row({ kind: 'refund', amountEur: '-10.00' }),
    row({ stream: 'aff', kind: 'affiliate', amountEur: '50.00', pending: true }),
    row({ domainId: 'b', stream: 'gone', kind: 'other', amountEur: '7.50' }),
    row({ period: 'previous', kind: 'order', amountEur: '80.00' }),
  ];
  const out = revenueBreakdown({
    rows,
    domains: [A, B],
    streams: [stream('s1', 'a.example', 36_500), stream('aff', undefined, 0)],
    days: 10,
    hasPrevious: true,
  });

  it('nets refunds out of earned revenue and keeps pending apart', () => {
    // gross 60 + 100 + 7.50 = 167.50; refunds 10; net 157.50; pending 50; earned rows 1 + 2 + 1 + 1.
    expect(out.total).toEqual({ net: 157.5, gross: 167.5, refunds: 10, pending: 50, count: 5 });
    expect(out.previousTotal).toEqual({ net: 80, gross: 80, refunds: 0, pending: 0, count: 1 });
    // (157.50 − 80) ÷ 80
    expect(out.change).toBeCloseTo(0.96875, 12);
  });

  it('by domain, with every asked domain listed', () => {
    expect(out.byDomain.map((d) => [d.domain.host, d.net, d.pending, d.previousNet, d.change])).toEqual([
      ['a.example', 150, 50, 80, 0.875],
      ['b.example', 7.5, 0, 0, null],
    ]);
  });

  it('by stream: portfolio streams first with targets, then unknown ids, then unassigned', () => {
    expect(out.byStream.map((s) => [s.stream, s.name, s.domain, s.crossPlatform, s.net, s.pending])).toEqual([
      ['s1', 'S1', 'a.example', false, 60, 0],
      ['aff', 'AFF', null, true, 0, 50],
      ['gone', null, 'b.example', false, 7.5, 0],
      [null, null, null, false, 90, 0],
    ]);
    // 36,500 a year: 1,000 for 10 days; 60 in 10 days runs at 2,190 a year.
    expect(out.byStream[0]?.target).toEqual({
      annual: 36_500,
      planned: 1000,
      forRange: 1000,
      runRate: 2190,
      progress: 0.06,
    });
    expect(out.byStream[1]?.target?.progress).toBeNull();
    expect(out.byStream[2]?.target).toBeNull();
  });

  it('by kind, refunds as a negative net', () => {
    expect(out.byKind.map((k) => [k.kind, k.net, k.gross, k.refunds, k.pending, k.previousNet])).toEqual([
      ['affiliate', 0, 0, 0, 50, 0],
      ['order', 100, 100, 0, 0, 80],
      ['other', 7.5, 7.5, 0, 0, 0],
      ['refund', -10, 0, 10, 0, 0],
      ['subscription', 60, 60, 0, 0, 0],
    ]);
  });

  it('gives no comparison figures without a comparison period', () => {
    const none = revenueBreakdown({
      rows: rows.slice(0, 2),
      domains: [A],
      streams: [],
      days: 10,
      hasPrevious: false,
    });
    expect([
      none.previousTotal,
      none.change,
      none.byDomain[0]?.previousNet,
      none.byDomain[0]?.change,
    ]).toEqual([null, null, null, null]);
  });

  it('prorates an annual target to the range', () => {
    // 48,000 × 31 ÷ 365 = 4,076.7123…; 60 × 365 ÷ 31 = 706.4516…
    const t = streamTarget({ targetRevenue: 48_000, currentRevenue: 0 }, 6000, 31);
    expect(t).toMatchObject({ annual: 48_000, planned: 0, forRange: 4076.71, runRate: 706.45 });
    expect(t.progress).toBeCloseTo(60 / 4076.7123, 6);
  });
});
