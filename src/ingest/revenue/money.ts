// Exact money arithmetic on integer cents (bigint): amounts arrive as decimal text, are stored as
// numeric(14, 2), and converting to EUR must round the way PostgreSQL's round() does.

/** |amount| ≤ 10,000,000,000.00 in any currency. */
export const MAX_AMOUNT_CENTS = 1_000_000_000_000n;

const DECIMAL = /^([+-])?(\d{1,11})(?:\.(\d{1,2}))?$/;
const RATE = /^(\d{1,10})(?:\.(\d{1,10}))?$/;
const RATE_SCALE = 10n ** 10n;

export type ParsedAmount = { ok: true; cents: bigint } | { ok: false; message: string };

/** Parses `"12.5"`, `"-3"`, `12.34`: at most 2 decimals, within ±1e10. */
export function parseAmount(input: string | number): ParsedAmount {
  if (typeof input === 'number' && !Number.isFinite(input)) {
    return { ok: false, message: 'must be a finite number' };
  }
  const text = typeof input === 'number' ? String(input) : input.trim();
  const match = DECIMAL.exec(text);
  if (!match) {
    return { ok: false, message: 'must be a decimal number with at most 2 decimals, like 19.99 or -5' };
  }
  const [, sign, whole, fraction = ''] = match;
  const magnitude = BigInt(whole as string) * 100n + BigInt(fraction.padEnd(2, '0'));
  if (magnitude > MAX_AMOUNT_CENTS) return { ok: false, message: 'must be between -1e10 and 1e10' };
  return { ok: true, cents: sign === '-' ? -magnitude : magnitude };
}

/** Cents as the decimal text PostgreSQL's numeric(14, 2) returns: `-12.30`. */
export function formatCents(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const whole = abs / 100n;
  const fraction = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

/** Parses numeric text as PostgreSQL returns it (`"12.30"`, `"-0.05"`) to cents; any magnitude. */
export function centsOfNumeric(text: string): bigint {
  const match = /^(-)?(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) throw new Error(`not an amount with at most 2 decimals: ${text}`);
  const [, minus, whole, fraction = ''] = match;
  const cents = BigInt(whole as string) * 100n + BigInt(fraction.padEnd(2, '0'));
  return minus ? -cents : cents;
}

/** n / d rounded half away from zero, like PostgreSQL's round(numeric). */
export function divideRounded(n: bigint, d: bigint): bigint {
  if (d <= 0n) throw new Error('divisor must be positive');
  const q = n / d;
  const r = n % d;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice < d) return q;
  return n < 0n ? q - 1n : q + 1n;
}

/** Converts cents of a currency to EUR cents with `eurPerUnit` (decimal text, ≤ 10 decimals), exactly. */
export function convertToEurCents(cents: bigint, eurPerUnit: string): bigint {
  const match = RATE.exec(eurPerUnit);
  if (!match) throw new Error(`not a conversion rate: ${eurPerUnit}`);
  const [, whole, fraction = ''] = match;
  const scaled = BigInt(whole as string) * RATE_SCALE + BigInt(fraction.padEnd(10, '0'));
  return divideRounded(cents * scaled, RATE_SCALE);
}

/**
 * An amount in a currency's minor unit (how payment processors count) as cents of that
 * currency: exponent 0 (JPY: 500 → 500.00), 2 (USD: 500 → 5.00), 3 (KWD: 5125 → 5.13).
 */
export function minorUnitsToCents(minor: bigint, exponent: 0 | 2 | 3): bigint {
  if (exponent === 0) return minor * 100n;
  if (exponent === 3) return divideRounded(minor, 10n);
  return minor;
}
