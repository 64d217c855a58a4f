import { stripeExponent } from './stripe-amounts.ts';

export type BillingInterval = 'day' | 'week' | 'month' | 'year';

/** One subscription item as it matters for MRR. */
export interface PricedItem {
  /** Price per unit in the currency's minor unit; `unit_amount_decimal` may carry fractions. */
  unitAmount: number | null;
  unitAmountDecimal: string | null;
  quantity: number;
  interval: BillingInterval;
  intervalCount: number;
  /** Metered prices are billed on usage: no fixed amount to count. */
  metered: boolean;
}

const MONTHS_PER: Record<BillingInterval, number> = {
  day: 12 / 365,
  week: 12 / 52,
  month: 1,
  year: 12,
};

/**
 * Monthly recurring amount of the items, in the currency's minor unit (may be fractional):
 * price × quantity per billing period, divided by the period's length in months.
 * Tiered and metered prices have no fixed unit amount and count 0; discounts are not applied.
 */
export function monthlyMinorUnits(items: readonly PricedItem[]): number {
  let total = 0;
  for (const item of items) {
    if (item.metered) continue;
    const unit = item.unitAmount ?? (item.unitAmountDecimal ? Number(item.unitAmountDecimal) : 0);
    if (!Number.isFinite(unit)) continue;
    const months = MONTHS_PER[item.interval] * item.intervalCount;
    total += (unit * item.quantity) / months;
  }
  return total;
}

/** MRR in EUR cents, rounded to the cent: minor units per month → currency → EUR. */
export function mrrEurCents(items: readonly PricedItem[], currency: string, eurPerUnit: string): bigint {
  const minorPerMonth = monthlyMinorUnits(items);
  const major = minorPerMonth / 10 ** stripeExponent(currency);
  return BigInt(Math.round(major * Number(eurPerUnit) * 100));
}

export type SubscriptionStatus = 'trialing' | 'active' | 'past_due' | 'canceled' | 'paused';

/**
 * Stripe's subscription statuses in our five. `incomplete` (first payment not made yet) is not a
 * subscription yet: null, and the event is ignored until Stripe reports it active or expired.
 */
export function mapSubscriptionStatus(stripeStatus: string): SubscriptionStatus | null {
  switch (stripeStatus) {
    case 'trialing':
    case 'active':
    case 'past_due':
    case 'paused':
    case 'canceled':
      return stripeStatus;
    case 'unpaid':
      return 'past_due';
    case 'incomplete_expired':
      return 'canceled';
    default:
      return null;
  }
}

/** The plan's name: each item's price nickname, else its product id, else its price id. */
export function planName(
  prices: readonly { id: string; nickname?: string | null; product?: string | null }[],
): string {
  const names = prices.map((p) => p.nickname || p.product || p.id);
  const joined = names.join(' + ') || 'unknown';
  return joined.length > 200 ? `${joined.slice(0, 199)}…` : joined;
}
