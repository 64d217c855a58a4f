import { describe, expect, it } from 'vitest';
import { channelCac, mrrFigures } from './mrr-figures.ts';
import type { MrrChange } from './mrr-movements.ts';

const at = (day: number) => new Date(Date.UTC(2026, 2, day, 12));
const change = (
  customer: string,
  day: number,
  deltaCents: number,
  channel: string | null = null,
): MrrChange => ({
  domainId: 'd1',
  customer,
  at: at(day),
  deltaCents,
  channel,
});

describe('mrrFigures', () => {
  it('computes every figure of a hand-worked month', () => {
    const { figures } = mrrFigures({
      start: [
        { domainId: 'd1', customer: 'c1', mrrCents: 3000, hasPaid: true },
        { domainId: 'd1', customer: 'c2', mrrCents: 2000, hasPaid: true },
        { domainId: 'd1', customer: 'c3', mrrCents: 0, hasPaid: true },
      ],
      changes: [
        change('c1', 5, 3000), // expansion 30
        change('c4', 8, 4000, 'Paid Search'), // new 40
        change('c3', 15, 1500), // reactivation 15
        change('c2', 20, -2000), // churn 20
        change('c4', 25, -500), // contraction 5
      ],
      range: { from: '2026-03-01', to: '2026-03-31', days: 31 },
      revenueCents: 15_000,
      costs: {
        marketing: 30_000,
        cogs: 3000,
        marketingByChannel: new Map([
          ['Paid Search', 20_000],
          [null, 10_000],
        ]),
      },
    });
    // End MRR 50 + 40 + 30 + 15 − 5 − 20 = 110 over c1 60, c4 35, c3 15: ARPA 36.67.
    expect(figures).toMatchObject({
      mrr: 110,
      arr: 1320,
      payingCustomers: 3,
      arpa: 36.67,
      start: { mrr: 50, payingCustomers: 2 },
      movements: { new: 40, expansion: 30, reactivation: 15, contraction: 5, churn: 20, net: 60 },
      customers: { new: 1, reactivated: 1, expanded: 1, contracted: 1, churned: 1 },
      // 1 churned of 2; March is one whole month.
      customerChurnRate: 0.5,
      monthlyCustomerChurnRate: 0.5,
      grossMrrChurn: 0.5, // (20 + 5) ÷ 50
      // CLV 36.666… ÷ 0.5; CAC 300 ÷ 1
      clv: 73.33,
      revenue: 150,
      cogs: 30,
      marketing: 300,
      cac: 300,
    });
    expect(figures.netMrrChurn).toBeCloseTo(-0.4, 12); // (20 + 5 − 30 − 15) ÷ 50
    expect(figures.netRevenueRetention).toBeCloseTo(1.2, 12); // c1 60 + c2 0 over 50
    expect(figures.grossMargin).toBeCloseTo(0.8, 12); // (150 − 30) ÷ 150
    expect(figures.clvToCac).toBeCloseTo(73.3333 / 300, 5);
    expect(figures.paybackMonths).toBeCloseTo(300 / 36.6667, 4);
    expect(figures.channels).toEqual([
      { channel: 'Paid Search', marketing: 200, newCustomers: 1, cac: 200 },
      { channel: null, marketing: 100, newCustomers: 0, cac: null },
    ]);
  });

  it('gives null, not 0 or Infinity, where a ratio is undefined', () => {
    const { figures } = mrrFigures({
      start: [],
      changes: [],
      range: { from: '2026-03-01', to: '2026-03-31', days: 31 },
      revenueCents: 0,
      costs: { marketing: 5000, cogs: 0, marketingByChannel: new Map([[null, 5000]]) },
    });
    expect(figures).toMatchObject({
      mrr: 0,
      payingCustomers: 0,
      arpa: null,
      customerChurnRate: null,
      monthlyCustomerChurnRate: null,
      grossMrrChurn: null,
      netMrrChurn: null,
      netRevenueRetention: null,
      clv: null,
      grossMargin: null,
      cac: null,
      clvToCac: null,
      paybackMonths: null,
    });
  });
});

describe('channelCac', () => {
  it('matches channels without regard to case and spaces, unattributed last', () => {
    const rows = channelCac(
      new Map<string | null, number>([
        ['Paid Search', 20_000],
        [' paid search ', 15_000],
        ['Email', 0],
        [null, 5000],
      ]),
      new Map<string | null, number>([
        ['paid search', 2],
        ['Affiliates', 1],
        [null, 3],
      ]),
    );
    expect(rows).toEqual([
      { channel: 'Affiliates', marketing: 0, newCustomers: 1, cac: 0 },
      { channel: 'Email', marketing: 0, newCustomers: 0, cac: null },
      { channel: 'Paid Search', marketing: 350, newCustomers: 2, cac: 175 },
      { channel: null, marketing: 50, newCustomers: 3, cac: 16.67 },
    ]);
  });
});
