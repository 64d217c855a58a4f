import { minorUnitsToCents } from '../revenue/money.ts';

// Stripe counts amounts in the currency's smallest unit, with its own list of exponents:
// https://docs.stripe.com/currencies#zero-decimal — ISK, HUF and TWD stay two-decimal in its API.
const ZERO_DECIMAL = new Set([
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'JPY',
  'KMF',
  'KRW',
  'MGA',
  'PYG',
  'RWF',
  'UGX',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
]);
const THREE_DECIMAL = new Set(['BHD', 'JOD', 'KWD', 'OMR', 'TND']);

export function stripeExponent(currency: string): 0 | 2 | 3 {
  const code = currency.toUpperCase();
  if (ZERO_DECIMAL.has(code)) return 0;
  if (THREE_DECIMAL.has(code)) return 3;
  return 2;
}

/** A Stripe integer amount (`amount_paid: 1999`, currency `usd`) as cents of that currency. */
export function stripeAmountToCents(amount: number, currency: string): bigint {
  if (!Number.isSafeInteger(amount)) throw new Error(`Stripe amounts are integers, got ${amount}`);
  return minorUnitsToCents(BigInt(amount), stripeExponent(currency));
}
