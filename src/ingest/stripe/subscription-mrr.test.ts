import { describe, expect, it } from 'vitest';
import { stripeAmountToCents, stripeExponent } from './stripe-amounts.ts';
import {
  mapSubscriptionStatus,
  monthlyMinorUnits,
  mrrEurCents,
  type PricedItem,
  planName,
} from './subscription-mrr.ts';

const item = (over: Partial<PricedItem>): PricedItem => ({
  unitAmount: 1000,
  unitAmountDecimal: null,
  quantity: 1,
  interval: 'month',
  intervalCount: 1,
  metered: false,
  ...over,
});

describe('monthlyMinorUnits', () => {
  it('normalises every interval to a month', () => {
    expect(monthlyMinorUnits([item({})])).toBe(1000);
    expect(monthlyMinorUnits([item({ unitAmount: 12_000, interval: 'year' })])).toBe(1000);
    expect(monthlyMinorUnits([item({ unitAmount: 3000, intervalCount: 3 })])).toBeCloseTo(1000, 9);
    expect(monthlyMinorUnits([item({ unitAmount: 100, interval: 'week' })])).toBeCloseTo((100 * 52) / 12, 9);
    expect(monthlyMinorUnits([item({ unitAmount: 10, interval: 'day' })])).toBeCloseTo((10 * 365) / 12, 9);
    expect(monthlyMinorUnits([item({ unitAmount: 24_000, interval: 'year', intervalCount: 2 })])).toBe(1000);
  });

  it('multiplies by quantity and sums items', () => {
    expect(monthlyMinorUnits([item({ quantity: 3 }), item({ unitAmount: 500 })])).toBe(3500);
  });

  it('uses unit_amount_decimal when unit_amount is absent, and counts metered or tiered prices as 0', () => {
    expect(monthlyMinorUnits([item({ unitAmount: null, unitAmountDecimal: '999.5' })])).toBe(999.5);
    expect(monthlyMinorUnits([item({ metered: true })])).toBe(0);
    expect(monthlyMinorUnits([item({ unitAmount: null })])).toBe(0);
  });
});

describe('mrrEurCents', () => {
  it('converts through the currency exponent and the EUR rate', () => {
    // $120/year → $10/month → €8.60
    expect(mrrEurCents([item({ unitAmount: 12_000, interval: 'year' })], 'usd', '0.8600000000')).toBe(860n);
    // ¥1,000/month → €5.60 (JPY has no minor unit)
    expect(mrrEurCents([item({ unitAmount: 1000 })], 'jpy', '0.0056000000')).toBe(560n);
    // €9.99 × 52 / 12 per week-priced item → €43.29
    expect(mrrEurCents([item({ unitAmount: 999, interval: 'week' })], 'eur', '1')).toBe(4329n);
  });
});

describe('Stripe amounts', () => {
  it('knows the exponents Stripe uses', () => {
    expect(stripeExponent('jpy')).toBe(0);
    expect(stripeExponent('KRW')).toBe(0);
    expect(stripeExponent('usd')).toBe(2);
    expect(stripeExponent('isk')).toBe(2); // two-decimal in Stripe's API, unlike ISO 4217
    expect(stripeExponent('kwd')).toBe(3);
  });

  it('converts integer minor units to cents', () => {
    expect(stripeAmountToCents(1999, 'usd')).toBe(1999n);
    expect(stripeAmountToCents(500, 'jpy')).toBe(50_000n);
    expect(stripeAmountToCents(5120, 'kwd')).toBe(512n);
    expect(() => stripeAmountToCents(1.5, 'usd')).toThrow(/integers/);
  });
});

describe('subscription status and plan', () => {
  it.each([
    ['trialing', 'trialing'],
    ['active', 'active'],
    ['past_due', 'past_due'],
    ['unpaid', 'past_due'],
    ['paused', 'paused'],
    ['canceled', 'canceled'],
    ['incomplete_expired', 'canceled'],
    ['incomplete', null],
    ['something_new', null],
  ])('maps %s to %s', (stripe, ours) => {
    expect(mapSubscriptionStatus(stripe)).toBe(ours);
  });

  it('names the plan by nickname, then product, then price id', () => {
    expect(planName([{ id: 'price_1', nickname: 'Pro monthly', product: 'prod_1' }])).toBe('Pro monthly');
    expect(planName([{ id: 'price_1', nickname: null, product: 'prod_1' }])).toBe('prod_1');
    expect(planName([{ id: 'price_1' }, { id: 'price_2', nickname: 'Seats' }])).toBe('price_1 + Seats');
    expect(planName([{ id: 'x'.repeat(300) }])).toHaveLength(200);
  });
});
